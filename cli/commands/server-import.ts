// `hexarchive import --server`: the file goes to the server (a presigned PUT from POST
// /admin/import/uploads) and is written there by a background job (POST /admin/import), which this
// polls. The job's URL is kept beside the file, so a command run again after an interruption follows
// the same job instead of uploading and importing twice.
import {
  createReadStream,
  existsSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Context } from "../command.ts";
import { CliError, EXIT, UsageError } from "../errors.ts";
import { bytes } from "../format.ts";
import { awaitJob, type JobView, jobSelf, pollMs } from "./server-jobs.ts";

/** S3's most for one PUT. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

interface Upload {
  key: string;
  href: string;
}

interface Attached {
  /** The job's URL on the server. */
  job: string;
  key: string;
  /** The file it was started for (size and modification time): a changed file is not followed. */
  size: number;
  mtimeMs: number;
}

const countsText = (c: Record<string, number> | undefined) =>
  `${c?.["items"] ?? 0} items, ${c?.["collections"] ?? 0} collections, ${c?.["badLines"] ?? 0} bad lines, ` +
  `${c?.["bytesRead"] ?? 0} of ${c?.["bytes"] ?? 0} bytes read`;

/** One PUT of the whole file, streamed, with its length (S3 takes no chunked body on a presigned PUT). */
function putFile(href: string, path: string, size: number): Promise<void> {
  const u = new URL(href);
  const send = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(u, { method: "PUT", headers: { "content-length": String(size) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        res.statusCode === 200
          ? resolve()
          : reject(
              new CliError(
                `uploading ${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`,
              ),
            ),
      );
    });
    req.on("error", (e) => reject(new CliError(`uploading ${path}: ${e.message}`)));
    createReadStream(path).on("error", reject).pipe(req);
  });
}

function saved(path: string, file: string): Attached | undefined {
  if (!existsSync(path)) return undefined;
  const a = JSON.parse(readFileSync(path, "utf8")) as Partial<Attached>;
  if (typeof a.job !== "string" || typeof a.size !== "number")
    throw new UsageError(
      `${path} is not a server import's checkpoint: remove it, or give another --checkpoint`,
    );
  const st = statSync(file);
  if (a.size !== st.size || a.mtimeMs !== st.mtimeMs)
    throw new UsageError(
      `${file} changed since job ${a.job} was started for it: remove ${path} to import it as a new job`,
    );
  return a as Attached;
}

/**
 * Imports `file` on the server; `upload` gives the NDJSON to send for it (the file itself, or its
 * conversion), and is called only when no job was started for the file before.
 */
export async function serverImport(
  ctx: Context,
  file: string,
  stateFile: string,
  upload: () => Promise<{ path: string; done(): void }>,
): Promise<number> {
  const every = pollMs(ctx.values["poll"]);
  const st = statSync(file);
  let attached = saved(stateFile, file);
  let job: JobView;
  if (attached) {
    ctx.err.write(`following job ${attached.job} (started for ${file} before)\n`);
    job = await ctx.api.json<JobView>(attached.job);
  } else {
    const sent = await upload();
    const size = statSync(sent.path).size;
    if (size > MAX_PUT_BYTES)
      throw new UsageError(
        `${file} is ${bytes(size)} of NDJSON, over the 5 GiB of one upload: split it, or put it under the import prefix yourself and give --key`,
      );
    const up = await ctx.api.json<Upload>("/admin/import/uploads", { method: "POST", body: {} });
    ctx.err.write(`uploading ${file} (${bytes(size)}) to ${up.key}\n`);
    await putFile(up.href, sent.path, size);
    sent.done();
    job = await startJob(ctx, up.key);
    attached = { job: jobSelf(job), key: up.key, size: st.size, mtimeMs: st.mtimeMs };
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(attached));
    renameSync(`${stateFile}.tmp`, stateFile);
  }
  return finish(ctx, await awaitJob(ctx, job, "import", countsText, every), () => unlinkSync(stateFile));
}

/** `--key KEY`: an object already under the import prefix (put there by other means). */
export async function serverImportKey(ctx: Context, key: string): Promise<number> {
  const job = await startJob(ctx, key);
  return finish(ctx, await awaitJob(ctx, job, "import", countsText, pollMs(ctx.values["poll"])), () => {});
}

async function startJob(ctx: Context, key: string): Promise<JobView> {
  const job = await ctx.api.json<JobView>("/admin/import", { method: "POST", body: { key } });
  ctx.err.write(`import job ${job.id} ${job.status}\n`);
  return job;
}

function finish(ctx: Context, job: JobView, forget: () => void): number {
  // Ended either way: a command run again starts anew.
  forget();
  if (job.status === "failed")
    throw new CliError(`import job ${job.id} failed: ${job.error ?? "no reason given"}`);
  const c = job.counts ?? {};
  const bad = job.badLines ?? [];
  for (const b of bad.slice(0, 20)) ctx.err.write(`line ${b.line}: ${b.reason}\n`);
  if ((c["badLines"] ?? 0) > 20)
    ctx.err.write(`… ${(c["badLines"] ?? 0) - 20} more bad lines (GET ${jobSelf(job)})\n`);
  ctx.err.write(
    `imported ${c["collections"] ?? 0} collections and ${c["items"] ?? 0} items (job ${job.id}` +
      `${c["badLines"] ? `, ${c["badLines"]} bad lines` : ""})\n`,
  );
  if (ctx.json)
    ctx.out.write(
      `${JSON.stringify({ job: job.id, collections: c["collections"] ?? 0, items: c["items"] ?? 0, badLines: c["badLines"] ?? 0, firstBadLines: bad.slice(0, 20) })}\n`,
    );
  return c["badLines"] ? EXIT.partial : EXIT.ok;
}
