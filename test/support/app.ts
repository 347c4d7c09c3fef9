// In-process harness for the emulator tier (`*.emu.test.ts`): the real emulators and the real API
// handler in the test's own process, without the local stack's ingest queue, S3 notifications or
// reconcile. Tests write what they need straight into the catalogue (test/api/seed.ts).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import S3rver from "s3rver";
import { startLocalAccess } from "../../dev/local/access.ts";
import { LOCAL_JOBS_BUCKET, type LocalJobSettings, localApiDeps } from "../../dev/local/api-deps.ts";
import type { AuthIssuer } from "../../dev/local/auth-issuer.ts";
import { localCredentials } from "../../dev/local/emulators.ts";
import { serveHandler } from "../../dev/local/http-adapter.ts";
import { ensureBucket } from "../../dev/local/resources.ts";
import type { Endpoints } from "../../dev/local/stack.ts";
import { makeApiHandler } from "../../lambdas/api/app.ts";
import type { AccessPolicy } from "../../shared/auth/access-policy.ts";
import type { DownloadSettings } from "../../shared/download/services.ts";
import type { InProcessJobs } from "../../shared/jobs/starters.ts";
import { jsonLogger, type Logger, silentLogger } from "../../shared/log.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import type { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import type { ChangeLogTiming } from "../../shared/storage/dynamo-change-log.ts";
import { withCachedAuthFile } from "./auth-file.ts";
import { type HttpClient, httpClient } from "./http-client.ts";
import { startTestTable } from "./table.ts";

const REGION = "us-east-1";
/** Not imported from dev/local/stack.ts, which would load the whole ingest path into every test. */
const BUCKET = "hexarchive-products";

/** HEXARCHIVE_TEST_LOG=1 prints the handlers' logs (e.g. the error behind an unexpected 500). */
export const testLog: Logger = process.env["HEXARCHIVE_TEST_LOG"] ? jsonLogger : silentLogger;

export interface TestAppOptions {
  /** Who may search and download; omitted: everything public (as in the local stack's tests). */
  access?: AccessPolicy;
  downloads?: Partial<DownloadSettings>;
  presignSeconds?: number;
  signedLinkSeconds?: number;
  /** The change log's settle and grace periods (shorter than deployed ones, so tests need not wait). */
  changeTiming?: ChangeLogTiming;
  /** Subscriptions one user may hold (default 20). */
  subscriptionsPerUser?: number;
  /** Buckets relay subscriptions may copy into. */
  relayBuckets?: string[];
  /** Background jobs' settings (a clock that runs out, small pages and parts). */
  jobs?: LocalJobSettings;
}

export interface TestApp extends HttpClient {
  /** The API's base URL. */
  api: string;
  bucket: string;
  /** Exports are written here; imports read from its `imports/`. */
  jobsBucket: string;
  /** Background jobs, run in this process: `start` an invocation, wait for all with `idle`. */
  jobs: InProcessJobs;
  catalogue: DynamoCatalogue;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  issuer: AuthIssuer;
  endpoints: {
    api: string;
    dynamodb: { endpoint: string; table: string };
    s3: { endpoint: string; bucket: string };
    auth: Endpoints["auth"];
  };
  close(): Promise<void>;
}

/**
 * The API as the Lambda runs it (lambdas/api/app.ts), over dynalite and s3rver, with the local
 * stack's users, signed links, presign front and downloads (dev/local/access.ts), served over HTTP by
 * the local API Gateway adapter. No ingest: objects put into the bucket produce no items.
 */
export async function startTestApp(o: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-app-"));
  const table = await startTestTable(o.changeTiming ? { changeTiming: o.changeTiming } : {});
  const s3rver = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(dataDir, "s3") });
  const { port: s3Port } = (await s3rver.run()) as { port: number };
  const s3Endpoint = `http://127.0.0.1:${s3Port}`;
  const s3 = makeS3Client({
    region: REGION,
    credentials: localCredentials(),
    s3Endpoint,
    s3ForcePathStyle: true,
  });
  await ensureBucket(s3, BUCKET);
  await ensureBucket(s3, LOCAL_JOBS_BUCKET);
  const access = await withCachedAuthFile(dataDir, () =>
    startLocalAccess({
      dataDir,
      s3,
      s3Endpoint,
      credentials: localCredentials(),
      region: REGION,
      access: o.access,
      signedLinkSeconds: o.signedLinkSeconds,
    }),
  );
  // The same wiring as the local stack's (dev/local/api-deps.ts), over the Lambda's (lambdas/api/deps.ts).
  const { deps, extractor, jobs } = localApiDeps({
    doc: table.doc,
    s3,
    table: table.table,
    productsBucket: BUCKET,
    log: testLog,
    access,
    tokenKey: randomBytes(32),
    presignSeconds: o.presignSeconds ?? 300,
    downloads: o.downloads,
    subscriptionsPerUser: o.subscriptionsPerUser,
    relayBuckets: o.relayBuckets,
    jobs: o.jobs,
  });
  const handler = makeApiHandler({ ...deps, catalogue: table.catalogue });
  const server = serveHandler(handler, testLog);
  await new Promise<void>((r) => server.listen(0, r));
  const api = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    ...httpClient(api),
    api,
    bucket: BUCKET,
    jobsBucket: LOCAL_JOBS_BUCKET,
    jobs,
    catalogue: table.catalogue,
    doc: table.doc,
    s3,
    issuer: access.issuer,
    endpoints: {
      api,
      dynamodb: { endpoint: table.endpoint, table: table.table },
      s3: { endpoint: s3Endpoint, bucket: BUCKET },
      auth: access.endpoints,
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await extractor.idle();
      await jobs.idle();
      await access.close();
      s3.destroy();
      await s3rver.close();
      await table.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
