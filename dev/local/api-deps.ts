// The API's dependencies as the local stack wires them (and the in-process test app, which has no
// ingest): lambdas/api/deps.ts over the emulators, the local users and presign front, downloads with
// the member cache, and extractions run in this process instead of an asynchronous Lambda.
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { makeApiDeps, makeExtractionDeps } from "../../lambdas/api/deps.ts";
import { makeJobRunnerDeps } from "../../lambdas/jobs/deps.ts";
import type { ApiDeps } from "../../shared/api/deps.ts";
import { extractMember } from "../../shared/download/extraction.ts";
import { InProcessExtractor } from "../../shared/download/in-process-extractor.ts";
import { DEFAULT_DOWNLOAD_SETTINGS, type DownloadSettings } from "../../shared/download/services.ts";
import { type ChunkClock, UNLIMITED_TIME } from "../../shared/jobs/chunks.ts";
import type { ExportSettings } from "../../shared/jobs/export-job.ts";
import type { ImportSettings } from "../../shared/jobs/import-job.ts";
import { runJob } from "../../shared/jobs/runner.ts";
import { InProcessJobs } from "../../shared/jobs/starters.ts";
import type { Logger } from "../../shared/log.ts";
import { signedPagingTokens } from "../../shared/search/paging-tokens.ts";
import { LOCAL_CACHE_BUCKET, type startLocalAccess } from "./access.ts";
import { LOCAL_CLIENT_ID } from "./auth-issuer.ts";
import { fileJobJournal } from "./job-journal.ts";

export interface LocalApiWiring {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  productsBucket: string;
  log: Logger;
  access: Awaited<ReturnType<typeof startLocalAccess>>;
  /** The key that signs paging tokens. */
  tokenKey: Uint8Array;
  presignSeconds: number;
  downloads?: Partial<DownloadSettings> | undefined;
  /** Subscriptions one user may hold (default 20). */
  subscriptionsPerUser?: number | undefined;
  /** Buckets operators' relay subscriptions may copy into (default none). */
  relayBuckets?: readonly string[] | undefined;
  /** Jobs' settings; tests give a clock that runs out, to make a job continue in new invocations. */
  jobs?: LocalJobSettings | undefined;
  /** Where the job invocations started and not ended are kept (the stack's; none: not kept). */
  jobJournal?: string | undefined;
}

export interface LocalJobSettings {
  clock?: ChunkClock;
  reserveMs?: number;
  export?: Partial<ExportSettings>;
  import?: Partial<ImportSettings>;
}

/** Exports are written here, imports read from its `imports/` (made by the stack and the test app). */
export const LOCAL_JOBS_BUCKET = "hexarchive-jobs";

export function localApiDeps(o: LocalApiWiring): {
  deps: ApiDeps;
  extractor: InProcessExtractor;
  jobs: InProcessJobs;
} {
  // UploadPartCopy is left out: s3rver cannot copy a byte range, so members are always streamed here.
  const extraction = makeExtractionDeps({ s3: o.s3, cacheBucket: LOCAL_CACHE_BUCKET, log: o.log });
  const extractor = new InProcessExtractor((job) => extractMember(extraction, job), o.log);
  const tokens = signedPagingTokens(async () => o.tokenKey);
  // Jobs run in this process; an invocation that runs out of (injected) time continues in another.
  const jobs = new InProcessJobs(o.log, o.jobJournal ? fileJobJournal(o.jobJournal) : undefined);
  const runner = makeJobRunnerDeps({
    doc: o.doc,
    s3: o.s3,
    table: o.table,
    jobsBucket: LOCAL_JOBS_BUCKET,
    productsBucket: o.productsBucket,
    tokens,
    log: o.log,
    starter: jobs,
    reserveMs: o.jobs?.reserveMs,
    export: o.jobs?.export,
    import: o.jobs?.import,
  });
  jobs.attach((event) => runJob(runner, event["hexarchive-job"], o.jobs?.clock ?? UNLIMITED_TIME));
  const deps = makeApiDeps({
    doc: o.doc,
    s3: o.s3,
    table: o.table,
    log: o.log,
    settings: {
      presignSeconds: o.presignSeconds,
      productsBucket: o.productsBucket,
      signIn: { issuer: o.access.issuer.issuer, clientId: LOCAL_CLIENT_ID },
    },
    tokens,
    auth: o.access.auth,
    presignClient: o.access.presignClient,
    downloads: {
      cacheBucket: LOCAL_CACHE_BUCKET,
      settings: { ...DEFAULT_DOWNLOAD_SETTINGS, ...o.downloads },
      extractor,
    },
    // Locally, webhooks may go to receivers on this machine (plain HTTP on loopback), as tests need.
    subscriptions: {
      maxPerUser: o.subscriptionsPerUser ?? 20,
      webhooks: { allowLoopback: true },
      relayBuckets: o.relayBuckets,
    },
    jobs: { starter: jobs, importSources: [{ bucket: LOCAL_JOBS_BUCKET, prefix: "imports/" }] },
  });
  return { deps, extractor, jobs };
}
