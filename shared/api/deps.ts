// What the API needs from the outside world; composition roots (Lambda, local stack, tests) supply it.
import type { AuthServices } from "../auth/guard.ts";
import type { DownloadServices } from "../download/services.ts";
import type { JobServices } from "../jobs/service.ts";
import type { LifecycleDeps } from "../lifecycle/delete-product.ts";
import type { Logger } from "../log.ts";
import type { PagingTokens } from "../search/paging-tokens.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { ObjectOwners } from "../storage/object-ledger.ts";
import type { Presigner } from "../storage/presigner.ts";
import type { SubscriptionServices } from "../subscriptions/service.ts";
import type { UiAssets } from "./ui-assets.ts";

export interface ApiDeps {
  catalogue: Catalogue;
  /** Which item each object produced: every download and s3 href is confined by it (shared/download/confine.ts). */
  owners: ObjectOwners;
  presigner: Presigner;
  log: Logger;
  settings: {
    presignSeconds: number;
    /** Lifetime of download lists' refresh links (shared/api/routes/download-list.ts); default a week. */
    refreshLinkSeconds?: number | undefined;
    publicUrl?: string | undefined;
    title?: string;
    /**
     * The products bucket: the only bucket downloads read and `s3://` hrefs of written items may name.
     * Unset (deployments composed by hand): downloads are not held to a bucket, and writes take no s3 href.
     */
    productsBucket?: string | undefined;
    /**
     * The OIDC issuer and client the search page signs in through (authorization code with PKCE); the
     * page offers it when the issuer's discovery document names an authorization endpoint.
     */
    signIn?: { issuer: string; clientId: string } | undefined;
  };
  /** Signs paging tokens with the deployment's key (shared/search/paging-tokens.ts). */
  tokens: PagingTokens;
  /** Users and access rules; without them everything is public. */
  auth?: AuthServices | undefined;
  /** Member extraction, concurrency leases and statistics; without them only whole objects download. */
  downloads?: DownloadServices | undefined;
  /**
   * Deletions with a cause (tombstones, the products bucket's objects); without them the deletion route
   * answers 404 and tombstones are not listed.
   */
  lifecycle?: Omit<LifecycleDeps, "log" | "now"> | undefined;
  /** The search page's built assets (shared/api/routes/ui.ts); without them `/` is always the JSON. */
  ui?: UiAssets | undefined;
  /** Users' subscriptions (shared/subscriptions/); without them `/subscriptions` answers 404. */
  subscriptions?: SubscriptionServices | undefined;
  /** Background exports and imports (shared/jobs/); without them their routes answer 404. */
  jobs?: JobServices | undefined;
}
