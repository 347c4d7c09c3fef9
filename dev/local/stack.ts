// The whole catalogue on this machine: emulators, table and bucket, the S3 → queue → ingest path and
// the API served over HTTP, all running the same handlers as on AWS.
import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { makeApiHandler } from "../../lambdas/api/app.ts";
import { makeIngestHandler } from "../../lambdas/ingest/app.ts";
import { makeIngestDeps, makeProductMd5Deps } from "../../lambdas/ingest/deps.ts";
import { folderUiAssets } from "../../shared/api/ui-assets.ts";
import type { AccessPolicy } from "../../shared/auth/access-policy.ts";
import { DEFAULT_MD5_MAX_BYTES } from "../../shared/config.ts";
import type { InProcessExtractor } from "../../shared/download/in-process-extractor.ts";
import type { DownloadSettings } from "../../shared/download/services.ts";
import { resyncNotification } from "../../shared/ingest/events.ts";
import { InProcessMd5Jobs } from "../../shared/ingest/in-process-md5-jobs.ts";
import { completeProductMd5 } from "../../shared/ingest/product-md5.ts";
import { type ReconcileReport, reconcile } from "../../shared/ingest/reconcile.ts";
import type { Logger } from "../../shared/log.ts";
import type { ChangeLogReader } from "../../shared/storage/changes.ts";
import { makeS3Client, withoutSdkCallLogging } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoObjectLedger } from "../../shared/storage/dynamo-object-ledger.ts";
import { withLeanReads } from "../../shared/storage/lean-reads.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { s3RelayCopier } from "../../shared/subscriptions/relay.ts";
import { cachedUi } from "../../web/build.ts";
import { LOCAL_CACHE_BUCKET, startLocalAccess } from "./access.ts";
import { LOCAL_JOBS_BUCKET, type LocalJobSettings, localApiDeps } from "./api-deps.ts";
import type { AuthIssuer } from "./auth-issuer.ts";
import {
  type DynamoProcess,
  LOCAL_CREDENTIALS,
  localCredentials,
  type SharedS3,
  startEmulators,
} from "./emulators.ts";
import { serveHandler } from "./http-adapter.ts";
import { LocalIngestQueue } from "./ingest-queue.ts";
import { ensureBucket, ensureTable } from "./resources.ts";
import { toAwsNotification } from "./s3-notifications.ts";
import { type LocalSubscriptions, startLocalSubscriptions } from "./subscriptions.ts";
import { localTokenKey } from "./token-key.ts";

export interface LocalStackOptions {
  dataDir: string;
  /** A basemap tile service for the search page (shared/config.ts HEXARCHIVE_BASEMAP_TILES); none by default. */
  basemapTiles?: { url: string; attribution?: string | undefined } | undefined;
  /** 0 picks a free port. */
  apiPort: number;
  s3Port: number;
  dynamoPort: number;
  /** Where dynalite runs (emulators.ts): in this process (default) or in a child process of its own. */
  dynamo?: DynamoProcess;
  presignSeconds: number;
  log: Logger;
  /**
   * Queue behaviour; tests shorten the visibility timeout. `leaseMs`: how long an event owns its object
   * key (shared/ingest/ingest.ts); short here, so that keys held by a killed process free up soon.
   */
  queue?: {
    visibilityTimeoutMs?: number;
    retryDelayMs?: number;
    maxReceiveCount?: number;
    concurrency?: number;
    leaseMs?: number;
  };
  /** Reconcile the bucket with the index at start (default true): events lost while stopped are found. */
  reconcileAtStart?: boolean;
  /** Who may search and download (HEXARCHIVE_ACCESS); omitted: everything public. */
  access?: AccessPolicy | undefined;
  downloads?: Partial<DownloadSettings> | undefined;
  /** Lifetime of signed links, in seconds (default 900). */
  signedLinkSeconds?: number | undefined;
  /**
   * Where subscriptions read changes from: `catalogue` (what `npm start` does), the catalogue's own
   * change log; a reader, that one; absent (test stacks), subscriptions are kept but not delivered.
   * Delivery runs on a timer (dev/local/subscriptions.ts).
   */
  changes?: ChangeLogReader | "catalogue" | undefined;
  /**
   * Another stack's S3 emulator (its `s3Emulator`) to keep this stack's bucket in, with `productsBucket`
   * naming a bucket of its own: two catalogues over one S3, as two deployments in one AWS region.
   */
  s3?: SharedS3 | undefined;
  /** The products bucket (default LOCAL_BUCKET). */
  productsBucket?: string | undefined;
  /** Buckets operators' relay subscriptions may copy into (default none). */
  relayBuckets?: readonly string[] | undefined;
  /** Background jobs' settings (tests: small import chunks); the defaults otherwise. */
  jobs?: LocalJobSettings | undefined;
}

export interface Endpoints {
  api: string;
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
  dynamodb: { endpoint: string; table: string };
  deadLetterFile: string;
  /** The built-in OIDC issuer and its demo user (see dev/local/auth-issuer.ts). */
  auth: {
    tokenUrl: string;
    jwksUrl: string;
    issuer: string;
    user: string;
    password: string;
    operator: { user: string; password: string };
  };
  /** Presigned links point here: a front that verifies signatures before s3rver; cached members' bucket. */
  downloads: { presignEndpoint: string; cacheBucket: string };
}

export interface LocalStack {
  endpoints: Endpoints;
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  catalogue: DynamoCatalogue;
  queue: LocalIngestQueue;
  issuer: AuthIssuer;
  /** Background member extractions (on AWS: asynchronous Lambda invocations). */
  extractor: InProcessExtractor;
  /** What the reconcile at start found (undefined when it did not run). */
  reconciledAtStart: ReconcileReport | undefined;
  /** Reconciles the bucket with the index now; resyncs go through the queue. */
  reconcile(o?: { dryRun?: boolean }): Promise<ReconcileReport>;
  /** Resolves once every event so far has been ingested (or dead-lettered). */
  settled(): Promise<void>;
  /** Subscriptions' dispatch and delivery, when the stack was given a change log. */
  subscriptions: LocalSubscriptions | undefined;
  /** The S3 emulator, for a second stack to share (LocalStackOptions.s3). */
  s3Emulator: SharedS3;
  close(): Promise<void>;
}

export const LOCAL_TABLE = "hexarchive-catalogue";
export const LOCAL_BUCKET = "hexarchive-products";
const REGION = "us-east-1";

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(o.dataDir, { recursive: true });
  // The search page is built (once for these sources, web/build.ts) while the emulators start.
  const uiBuilt = cachedUi().then(
    (dir) => ({ dir }),
    (err: unknown) => ({ err }),
  );
  const emu = await startEmulators({
    dataDir: o.dataDir,
    dynamoPort: o.dynamoPort,
    s3Port: o.s3Port,
    ...(o.dynamo ? { dynamo: o.dynamo } : {}),
    s3: o.s3,
  });
  const bucket = o.productsBucket ?? LOCAL_BUCKET;
  const clientOpts = { region: REGION, credentials: localCredentials() };
  const db = withoutSdkCallLogging(new DynamoDBClient({ ...clientOpts, endpoint: emu.dynamoEndpoint }));
  const doc = withLeanReads(
    DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }),
  );
  const s3 = makeS3Client({ ...clientOpts, s3Endpoint: emu.s3Endpoint, s3ForcePathStyle: true });
  await ensureTable(db, LOCAL_TABLE);
  await ensureBucket(s3, bucket);

  const deadLetterFile = join(o.dataDir, "dead-letter.ndjson");
  // MD5 jobs (multipart uploads) run in this process, as the MD5 function's asynchronous invocations do.
  const stores = { doc, s3, table: LOCAL_TABLE, log: o.log };
  const md5Deps = makeProductMd5Deps(stores);
  const md5Jobs = new InProcessMd5Jobs((job) => completeProductMd5(md5Deps, job), o.log);
  const md5 = { maxBytes: DEFAULT_MD5_MAX_BYTES, jobs: md5Jobs };
  const ingest = makeIngestHandler(makeIngestDeps({ ...stores, md5, leaseMs: o.queue?.leaseMs ?? 20_000 }));
  const queue = new LocalIngestQueue(ingest, o.log, {
    batchSize: 10,
    maxReceiveCount: o.queue?.maxReceiveCount ?? 5,
    // Longer than any batch runs here (on AWS: six function timeouts); failures retried after 5 s.
    visibilityTimeoutMs: o.queue?.visibilityTimeoutMs ?? 120_000,
    retryDelayMs: o.queue?.retryDelayMs ?? 5_000,
    deadLetterFile,
    journalFile: join(o.dataDir, "ingest-queue.ndjson"),
    ...(o.queue?.concurrency ? { concurrency: o.queue.concurrency } : {}),
  });
  // A shared emulator tells every stack of every bucket's events: each takes its own bucket's.
  const onS3Event = (event: Parameters<typeof toAwsNotification>[0]) => {
    const body = toAwsNotification(event, bucket);
    if (body) queue.send(body);
  };
  emu.s3rver.on("event", onS3Event);

  const catalogue = new DynamoCatalogue(doc, LOCAL_TABLE);
  const ledger = new DynamoObjectLedger(doc, LOCAL_TABLE);
  const products = new S3ObjectStore(s3, bucket);
  const reconcileNow = (r: { dryRun?: boolean } = {}) =>
    reconcile(
      {
        catalogue,
        ledger,
        listObjects: () => products.listPages(),
        resync: async (keys) => {
          queue.send(resyncNotification(bucket, keys));
          return keys.length;
        },
        log: o.log,
        now: () => new Date(),
      },
      r,
    );
  const reconciledAtStart = o.reconcileAtStart === false ? undefined : await reconcileNow();
  const access = await startLocalAccess({
    dataDir: o.dataDir,
    s3,
    s3Endpoint: emu.s3Endpoint,
    credentials: localCredentials(),
    region: REGION,
    access: o.access,
    signedLinkSeconds: o.signedLinkSeconds,
  });
  const ui = await uiBuilt;
  if ("err" in ui) throw ui.err;
  await ensureBucket(s3, LOCAL_JOBS_BUCKET);
  const { deps, extractor, jobs } = localApiDeps({
    doc,
    s3,
    table: LOCAL_TABLE,
    productsBucket: bucket,
    log: o.log,
    access,
    tokenKey: localTokenKey(o.dataDir),
    presignSeconds: o.presignSeconds,
    downloads: o.downloads,
    relayBuckets: o.relayBuckets,
    jobs: o.jobs,
    jobJournal: join(o.dataDir, "jobs.ndjson"),
  });
  const api = makeApiHandler({
    ...deps,
    ui: folderUiAssets(ui.dir, {
      tiles: o.basemapTiles,
      // Quicklooks redirect to the presign front, which is plain http here (https: is admitted anyway).
      imageOrigins: [new URL(access.presignEndpoint).origin],
    }),
  });
  const server = serveHandler(api, o.log);
  // A port in use rejects (npm start names the variable to change) rather than crashing the process.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.apiPort, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const apiPort = (server.address() as AddressInfo).port;

  const endpoints: Endpoints = {
    api: `http://localhost:${apiPort}`,
    s3: { endpoint: emu.s3Endpoint, bucket, region: REGION, ...LOCAL_CREDENTIALS },
    dynamodb: { endpoint: emu.dynamoEndpoint, table: LOCAL_TABLE },
    deadLetterFile,
    auth: access.endpoints,
    downloads: { presignEndpoint: access.presignEndpoint, cacheBucket: LOCAL_CACHE_BUCKET },
  };
  writeFileSync(join(o.dataDir, "endpoints.json"), `${JSON.stringify(endpoints, null, 2)}\n`);
  // Jobs a kill cut short go on from their last checkpoint (jobs.ndjson in the data directory).
  await jobs.resume();
  const changes = o.changes === "catalogue" ? catalogue : o.changes;
  const subscriptions = changes
    ? startLocalSubscriptions({
        doc,
        table: LOCAL_TABLE,
        changes,
        log: o.log,
        relay: { copy: s3RelayCopier(s3), source: endpoints.api },
      })
    : undefined;

  return {
    endpoints,
    s3,
    doc,
    catalogue,
    queue,
    issuer: access.issuer,
    extractor,
    reconciledAtStart,
    reconcile: reconcileNow,
    subscriptions,
    s3Emulator: { s3rver: emu.s3rver, endpoint: emu.s3Endpoint },
    settled: async () => {
      // s3rver emits its event just after answering the upload: give it a tick to arrive.
      await new Promise((r) => setTimeout(r, 20));
      await queue.idle();
      await md5Jobs.idle();
    },
    async close() {
      await subscriptions?.close();
      emu.s3rver.off("event", onS3Event);
      await queue.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await extractor.idle();
      await jobs.idle();
      await md5Jobs.idle();
      await access.close();
      await emu.close();
    },
  };
}
