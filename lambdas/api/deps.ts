// Wires the API domain to DynamoDB and S3; used by the Lambda composition root and the local stack.
// What differs between the two is passed in: auth, the paging-token key, the client that presigns
// links, and how background extractions start.
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ApiDeps } from "../../shared/api/deps.ts";
import type { AuthServices } from "../../shared/auth/guard.ts";
import { S3DownloadCache } from "../../shared/download/download-cache.ts";
import type { ExtractionDeps, Extractor } from "../../shared/download/extraction.ts";
import { S3ExtractionMarkers } from "../../shared/download/extraction-markers.ts";
import { DynamoLeaseStore } from "../../shared/download/leases.ts";
import type { DownloadServices, DownloadSettings } from "../../shared/download/services.ts";
import { S3PartCopier } from "../../shared/download/stored-member-copier.ts";
import type { ImportSource } from "../../shared/jobs/import-source.ts";
import type { JobStarter } from "../../shared/jobs/starters.ts";
import { DynamoJobStore } from "../../shared/jobs/store.ts";
import type { Logger } from "../../shared/log.ts";
import type { PagingTokens } from "../../shared/search/paging-tokens.ts";
import { DynamoStatsStore } from "../../shared/stats/ledger.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoObjectLedger } from "../../shared/storage/dynamo-object-ledger.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { S3Presigner } from "../../shared/storage/s3-presigner.ts";
import { DynamoSubscriptionStore } from "../../shared/subscriptions/dynamo-store.ts";
import type { SubscriptionSettings } from "../../shared/subscriptions/service.ts";

export interface DownloadWiring {
  /** Where members extracted from products are cached. */
  cacheBucket: string;
  settings: DownloadSettings;
  /** Starts background extractions (Lambda: an asynchronous invocation); absent: always within the request. */
  extractor?: Extractor | undefined;
}

export interface ApiWiring {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  log: Logger;
  settings: ApiDeps["settings"];
  tokens: PagingTokens;
  auth?: AuthServices | undefined;
  /** The client that presigns download links (locally: one addressed to the verifying front); default `s3`. */
  presignClient?: S3Client | undefined;
  /** Files inside products, download leases and statistics; absent: whole objects only. */
  downloads?: DownloadWiring | undefined;
  /** Users' subscriptions; absent: none kept. */
  subscriptions?: SubscriptionSettings | undefined;
  /** Background jobs: how they start and where imports may read; absent: no jobs. */
  jobs?: { starter: JobStarter; importSources: ImportSource[] } | undefined;
}

export function makeApiDeps(o: ApiWiring): ApiDeps {
  const catalogue = new DynamoCatalogue(o.doc, o.table);
  const ledger = new DynamoObjectLedger(o.doc, o.table);
  const bucket = o.settings.productsBucket;
  return {
    catalogue,
    owners: ledger,
    // Only the transactions function may use it on AWS: the public one has no grant to write or delete.
    lifecycle: bucket
      ? { catalogue, tombstones: catalogue.tombstoneStore, ledger, objects: new S3ObjectStore(o.s3, bucket) }
      : undefined,
    presigner: new S3Presigner(o.presignClient ?? o.s3),
    tokens: o.tokens,
    log: o.log,
    settings: o.settings,
    auth: o.auth,
    downloads: o.downloads && makeDownloadServices(o, o.downloads),
    subscriptions: o.subscriptions && {
      store: new DynamoSubscriptionStore(new DynamoTable(o.doc, o.table)),
      settings: o.subscriptions,
    },
    jobs: o.jobs && { ...o.jobs, store: new DynamoJobStore(new DynamoTable(o.doc, o.table)) },
  };
}

function makeDownloadServices(
  o: { doc: DynamoDBDocumentClient; s3: S3Client; table: string },
  d: DownloadWiring,
): DownloadServices {
  return {
    objects: (bucket) => new S3ObjectStore(o.s3, bucket),
    cache: new S3DownloadCache(o.s3, d.cacheBucket),
    leases: new DynamoLeaseStore(o.doc, o.table),
    stats: new DynamoStatsStore(o.doc, o.table),
    settings: d.settings,
    extraction: d.extractor
      ? { extractor: d.extractor, markers: new S3ExtractionMarkers(o.s3, d.cacheBucket) }
      : undefined,
  };
}

/** What a background extraction needs: the products and the member cache the API's downloads use. */
export function makeExtractionDeps(o: {
  s3: S3Client;
  cacheBucket: string;
  log: Logger;
  /** Copy stored members server-side (S3 UploadPartCopy, which s3rver cannot do); default: stream them. */
  copyStoredMembers?: boolean | undefined;
}): ExtractionDeps {
  return {
    objects: (bucket) => new S3ObjectStore(o.s3, bucket),
    cache: new S3DownloadCache(o.s3, o.cacheBucket),
    markers: new S3ExtractionMarkers(o.s3, o.cacheBucket),
    copier: o.copyStoredMembers ? new S3PartCopier(o.s3, o.cacheBucket) : undefined,
    log: o.log,
  };
}
