// The local stack's users, downloads and statistics: the built-in OIDC issuer, the verifying presign
// front before s3rver, the member cache bucket, and the same download services the Lambda composes.
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AccessPolicy, OPEN_ACCESS } from "../../shared/auth/access-policy.ts";
import { Authenticator, jwtVerifier } from "../../shared/auth/authenticator.ts";
import type { AuthServices } from "../../shared/auth/guard.ts";
import { remoteKeys } from "../../shared/auth/jwt.ts";
import { DEFAULT_SIGNED_LINK_SECONDS, HrefSigner } from "../../shared/auth/signed-hrefs.ts";
import { localSigningKey } from "../../shared/auth/signing-key.ts";
import { S3DownloadCache } from "../../shared/download/download-cache.ts";
import { DynamoLeaseStore } from "../../shared/download/leases.ts";
import {
  DEFAULT_DOWNLOAD_SETTINGS,
  type DownloadServices,
  type DownloadSettings,
} from "../../shared/download/services.ts";
import { DynamoStatsStore } from "../../shared/stats/ledger.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { S3Presigner } from "../../shared/storage/s3-presigner.ts";
import { type AuthIssuer, DEMO_OPERATOR, DEMO_USER, startAuthIssuer } from "./auth-issuer.ts";
import { startPresignFront } from "./presign-front.ts";
import { ensureBucket } from "./resources.ts";

export const LOCAL_CACHE_BUCKET = "hexarchive-download-cache";

export interface LocalAccessOptions {
  dataDir: string;
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  table: string;
  s3Endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** Omitted: everything public (what tests written before auth expect); `npm start` passes a policy. */
  access?: AccessPolicy | undefined;
  downloads?: Partial<DownloadSettings> | undefined;
  /** Lifetime of signed links (GET /sign, asset hrefs for signed-in callers); default 900 s. */
  signedLinkSeconds?: number | undefined;
}

export async function startLocalAccess(o: LocalAccessOptions) {
  const issuer: AuthIssuer = await startAuthIssuer({ dataDir: o.dataDir });
  const front = await startPresignFront(o.s3Endpoint, {
    [o.credentials.accessKeyId]: o.credentials.secretAccessKey,
  });
  await ensureBucket(o.s3, LOCAL_CACHE_BUCKET);
  const presignClient = makeS3Client({
    region: o.region,
    credentials: o.credentials,
    s3Endpoint: front.endpoint,
    s3ForcePathStyle: true,
  });
  const auth: AuthServices = {
    authenticator: new Authenticator(jwtVerifier(remoteKeys(issuer.jwksUrl), issuer.issuer), issuer.users),
    policy: o.access ?? OPEN_ACCESS,
    signer: new HrefSigner(localSigningKey(o.dataDir), o.signedLinkSeconds ?? DEFAULT_SIGNED_LINK_SECONDS),
  };
  const downloads: DownloadServices = {
    objects: (bucket) => new S3ObjectStore(o.s3, bucket),
    cache: new S3DownloadCache(o.s3, LOCAL_CACHE_BUCKET),
    leases: new DynamoLeaseStore(o.doc, o.table),
    stats: new DynamoStatsStore(o.doc, o.table),
    settings: { ...DEFAULT_DOWNLOAD_SETTINGS, ...o.downloads },
  };
  return {
    issuer,
    auth,
    downloads,
    presigner: new S3Presigner(presignClient),
    presignEndpoint: front.endpoint,
    endpoints: {
      tokenUrl: issuer.tokenUrl,
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      user: DEMO_USER.user,
      password: DEMO_USER.password,
      operator: { user: DEMO_OPERATOR.user, password: DEMO_OPERATOR.password },
    },
    async close() {
      await front.close();
      await issuer.close();
    },
  };
}
