// What one MD5 job costs: node's MD5 over a streamed GET of a large object from s3rver (the same
// S3ObjectStore.openStream the MD5 step uses), against node's MD5 over memory. Not a test: it prints
// figures. Run: AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED npx tsx dev/bench/md5-stream.ts [--gib 1]
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { localCredentials, startEmulators } from "../local/emulators.ts";

const { values: args } = parseArgs({ options: { gib: { type: "string", default: "1" } } });
const MiB = 2 ** 20;
const size = Math.round(Number(args.gib) * 1024) * MiB;
const PART = 64 * MiB;
const log = (s: string) => process.stdout.write(`${s}\n`);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "hexarchive-md5-bench-"));
  const emu = await startEmulators({ dataDir: dir, dynamoPort: 0, s3Port: 0 });
  try {
    const s3 = makeS3Client({
      region: "us-east-1",
      s3Endpoint: emu.s3Endpoint,
      s3ForcePathStyle: true,
      credentials: localCredentials(),
    });
    const Bucket = "bench";
    const Key = "sparse.zip";
    await s3.send(new CreateBucketCommand({ Bucket }));
    // A sparse product: zeros, as the band placeholders of the synthetic products are.
    const zeros = new Uint8Array(PART);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const Parts: { PartNumber: number; ETag: string }[] = [];
    for (let start = 0, n = 1; start < size; start += PART, n++) {
      const Body = zeros.subarray(0, Math.min(PART, size - start));
      const out = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: n, Body }));
      Parts.push({ PartNumber: n, ETag: out.ETag! });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));

    const store = new S3ObjectStore(s3, Bucket);
    const info = (await store.head(Key))!;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const t0 = performance.now();
    const hash = createHash("md5");
    for await (const chunk of (await store.openStream(Key, info.etag!))!) {
      hash.update(chunk);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    const streamed = (performance.now() - t0) / 1000;
    const digest = hash.digest("hex");

    const t1 = performance.now();
    const memory = createHash("md5");
    for (let done = 0; done < size; done += PART)
      memory.update(zeros.subarray(0, Math.min(PART, size - done)));
    const inMemory = (performance.now() - t1) / 1000;
    if (memory.digest("hex") !== digest) throw new Error("streamed MD5 differs from the in-memory MD5");

    const rate = (s: number) => `${(size / MiB / s).toFixed(0)} MiB/s`;
    log(`object: ${(size / MiB).toFixed(0)} MiB, ${Parts.length} parts; MD5 ${digest}`);
    log(`MD5 over a streamed GET from s3rver: ${streamed.toFixed(1)} s, ${rate(streamed)}`);
    log(`MD5 over memory (CPU only):          ${inMemory.toFixed(1)} s, ${rate(inMemory)}`);
    log(`RSS growth while streaming: ${((rssPeak - rssBefore) / MiB).toFixed(0)} MiB`);
    log(`per GiB at the streamed rate: ${(streamed / (size / 2 ** 30)).toFixed(1)} s`);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
