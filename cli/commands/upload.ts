// `hexarchive upload`: files or folders into the products bucket, where each arriving product is
// indexed (docs/uploading.md); large files in parts, with progress. A folder's metadata documents
// (manifest.safe, MTD_MSIL*.xml, …) go last, as the readers want.
import { createReadStream, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { Transform } from "node:stream";
import { type Command, str } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { bytes, duration, parseSize, rate } from "../format.ts";
import { eachLimit } from "../pool.ts";
import { progress } from "../progress.ts";

interface Upload {
  path: string;
  key: string;
  size: number;
}

/** Documents that make a folder product indexable: uploaded after the rest of their folder. */
const LAST =
  /(^|\/)(manifest\.safe|xfdumanifest\.xml|MTD_MSIL[^/]*\.xml|[^/]*_MTL\.(xml|json|txt)|[^/]*\.stac\.json)$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

export function uploads(paths: string[], prefix: string): Upload[] {
  const out: Upload[] = [];
  const p = prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix;
  for (const given of paths) {
    const abs = resolve(given);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`${given}: no such file or folder`);
    }
    if (st.isDirectory()) {
      const files = walk(abs).map((f) => ({
        path: f,
        key: `${p}${basename(abs)}/${relative(abs, f).split("\\").join("/")}`,
        size: statSync(f).size,
      }));
      files.sort((a, b) => Number(LAST.test(a.key)) - Number(LAST.test(b.key)) || a.key.localeCompare(b.key));
      out.push(...files);
    } else out.push({ path: abs, key: `${p}${basename(abs)}`, size: st.size });
  }
  return out;
}

/** The bytes of a file range, counted as the S3 client reads them (a 'data' listener would steal them). */
function counted(path: string, start: number, end: number, onBytes: (n: number) => void) {
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  return createReadStream(path, { start, end }).pipe(count);
}

export const uploadCommand: Command = {
  name: "upload",
  summary: "upload product files or folders into the products bucket (multipart for large files)",
  usage: "hexarchive upload PATH... [--prefix KEY_PREFIX] [--bucket B] [--s3-endpoint URL] [options]",
  positionals: true,
  flags: {
    prefix: { type: "string" },
    bucket: { type: "string" },
    "s3-endpoint": { type: "string" },
    "part-size": { type: "string" },
    parallel: { type: "string", short: "p" },
    "dry-run": { type: "boolean" },
  },
  help: `Options:
  PATH                  files (a zipped product, a GRIB file, …) or folders (an unzipped .SAFE, a Landsat
                        scene); a folder keeps its name and layout under the prefix
  --prefix P            key prefix in the bucket, e.g. sentinel-2/
  --bucket B            the products bucket (default: HEXARCHIVE_BUCKET, s3.bucket in the config file)
  --s3-endpoint URL     an S3-compatible endpoint (default: HEXARCHIVE_S3_ENDPOINT, s3.endpoint; AWS)
  --part-size SIZE      files larger than this go in parts of this size (default 64M, at least 5M)
  -p, --parallel N      files at a time (default 2)
  --dry-run             list the keys that would be written

S3 credentials come from the AWS environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, …).
A folder's metadata documents (manifest.safe, MTD_MSIL*.xml, xfdumanifest.xml, *_MTL.*, *.stac.json)
are uploaded after its other files, so the product is complete when it is indexed.

Examples:
  hexarchive upload S2B_MSIL2A_20240602T100019_N0510_R051_T33UWR_20240602T121719.SAFE.zip --prefix sentinel-2/
  hexarchive upload LC09_L2SP_190025_20240601_20240603_02_T1/ --prefix landsat/ --json`,
  async run(ctx) {
    const v = ctx.values;
    if (ctx.positionals.length === 0) throw new UsageError("give the files or folders to upload");
    const bucket = str(v["bucket"]) ?? ctx.config.s3.bucket;
    if (!bucket)
      throw new UsageError("no bucket: --bucket, HEXARCHIVE_BUCKET or s3.bucket in the config file");
    const endpoint = str(v["s3-endpoint"]) ?? ctx.config.s3.endpoint;
    const partSize = parseSize(str(v["part-size"]) ?? "64M");
    if (!partSize || partSize < 5 * 1024 * 1024)
      throw new UsageError("--part-size: at least 5M (S3's smallest part)");
    const parallel = Number(str(v["parallel"]) ?? 2);
    if (!Number.isInteger(parallel) || parallel < 1)
      throw new UsageError("--parallel: expected a whole number ≥ 1");
    const list = uploads(ctx.positionals, str(v["prefix"]) ?? "");
    const total = list.reduce((n, u) => n + u.size, 0);
    if (v["dry-run"]) {
      if (ctx.json) ctx.out.write(`${JSON.stringify({ dryRun: true, bucket, files: list }, null, 2)}\n`);
      else {
        for (const u of list) ctx.out.write(`${bytes(u.size).padStart(9)}  s3://${bucket}/${u.key}\n`);
        ctx.out.write(`${list.length} files, ${bytes(total)} (dry run: nothing uploaded)\n`);
      }
      return EXIT.ok;
    }
    // Loaded here: the S3 client takes a second to load (and is 1 MB of the bundle), which no other
    // command should pay.
    const {
      AbortMultipartUploadCommand,
      CompleteMultipartUploadCommand,
      CreateMultipartUploadCommand,
      PutObjectCommand,
      S3Client,
      UploadPartCommand,
    } = await import("./s3-client.ts");
    const s3 = new S3Client({
      region: ctx.config.s3.region,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: ctx.config.retries + 1,
    });
    const t0 = Date.now();
    const bar = progress(ctx.err, { totalFiles: list.length, totalBytes: total, verb: "uploading" });
    const results: {
      key: string;
      size: number;
      status: "uploaded" | "failed";
      parts?: number;
      error?: string;
    }[] = [];
    // Metadata documents wait for the rest of the files (a folder product is indexed when they arrive).
    const [first, last] = [list.filter((u) => !LAST.test(u.key)), list.filter((u) => LAST.test(u.key))];
    for (const batch of [first, last])
      await eachLimit(batch, parallel, async (u) => {
        bar.begin(u.key);
        bar.start(u.key, 0, u.size);
        const add = (n: number) => bar.add(u.key, n);
        try {
          let parts = 1;
          if (u.size <= partSize) {
            await s3.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: u.key,
                Body: counted(u.path, 0, Math.max(0, u.size - 1), add),
                ContentLength: u.size,
              }),
            );
          } else {
            const { UploadId } = await s3.send(
              new CreateMultipartUploadCommand({ Bucket: bucket, Key: u.key }),
            );
            try {
              const done: { ETag: string; PartNumber: number }[] = [];
              for (let n = 1, at = 0; at < u.size; n++, at += partSize) {
                const len = Math.min(partSize, u.size - at);
                const r = await s3.send(
                  new UploadPartCommand({
                    Bucket: bucket,
                    Key: u.key,
                    UploadId,
                    PartNumber: n,
                    Body: counted(u.path, at, at + len - 1, add),
                    ContentLength: len,
                  }),
                );
                done.push({ ETag: r.ETag!, PartNumber: n });
              }
              parts = done.length;
              await s3.send(
                new CompleteMultipartUploadCommand({
                  Bucket: bucket,
                  Key: u.key,
                  UploadId,
                  MultipartUpload: { Parts: done },
                }),
              );
            } catch (e) {
              await s3
                .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId }))
                .catch(() => {});
              throw e;
            }
          }
          results.push({ key: u.key, size: u.size, status: "uploaded", parts });
          bar.end(u.key, "uploaded");
        } catch (e) {
          results.push({ key: u.key, size: u.size, status: "failed", error: (e as Error).message });
          bar.end(u.key, `FAILED (${(e as Error).message})`);
        }
      });
    bar.close();
    const secs = (Date.now() - t0) / 1000;
    const failed = results.filter((r) => r.status === "failed");
    const moved = results.filter((r) => r.status === "uploaded").reduce((n, r) => n + r.size, 0);
    const code =
      failed.length === 0 ? EXIT.ok : failed.length === results.length ? EXIT.failure : EXIT.partial;
    if (ctx.json)
      ctx.out.write(
        `${JSON.stringify({ bucket, files: results, uploaded: results.length - failed.length, failed: failed.length, bytes: moved, seconds: secs, exitCode: code }, null, 2)}\n`,
      );
    ctx.err.write(
      `${results.length - failed.length} uploaded to s3://${bucket}/ (${bytes(moved)} in ${duration(secs * 1000)}, ${rate(secs > 0 ? moved / secs : 0)}), ${failed.length} failed\n`,
    );
    for (const f of failed) ctx.err.write(`  failed: ${f.key}: ${f.error}\n`);
    return code;
  },
};
