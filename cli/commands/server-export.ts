// `hexarchive export --server`: the export runs on the server as a background job (POST /search/export),
// which this polls (GET /jobs/{id}), reporting its progress, and whose file it then downloads through
// the job's presigned link — no paging through the API from here, whatever the size of the search.
import { createWriteStream, renameSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Context } from "../command.ts";
import { CliError, EXIT, UsageError } from "../errors.ts";
import { awaitJob, type JobView, pollMs } from "./server-jobs.ts";

const countsText = (c: Record<string, number> | undefined) =>
  `${c?.["items"] ?? 0} items, ${c?.["bytes"] ?? 0} bytes`;

export async function serverExport(
  ctx: Context,
  body: Record<string, unknown>,
  format: string,
  file: string | undefined,
): Promise<number> {
  const v = ctx.values;
  for (const flag of ["limit", "no-collections", "page-size"])
    if (v[flag] !== undefined)
      throw new UsageError(`--${flag} does not apply to --server: the job writes every match`);
  if (format !== "ndjson" && !file) throw new UsageError(`--format ${format} writes a file: give it with -o`);
  const every = pollMs(v["poll"]);
  const started = await ctx.api.json<JobView>("/search/export", {
    method: "POST",
    body: { ...body, format },
  });
  ctx.err.write(`export job ${started.id} ${started.status}\n`);
  const job = await awaitJob(ctx, started, "export", countsText, every);
  if (job.status === "failed" || !job.result)
    throw new CliError(`export job ${job.id} failed: ${job.error ?? "no result"}`);
  // The link is presigned: fetched as it is, without this catalogue's credentials.
  const res = await fetch(job.result.href);
  if (!res.ok || !res.body) throw new CliError(`downloading the export: HTTP ${res.status}`);
  const source = Readable.fromWeb(res.body as never);
  if (file) {
    // Written to a temporary name and renamed: a file under its name is always whole.
    await pipeline(source, createWriteStream(`${file}.part`));
    renameSync(`${file}.part`, file);
  } else await pipeline(source, ctx.out, { end: false });
  ctx.err.write(
    `exported ${job.counts?.["collections"] ?? 0} collections and ${job.counts?.["items"] ?? 0} items` +
      ` (job ${job.id}, ${job.result.bytes} bytes)${file ? ` to ${file}` : ""}\n`,
  );
  if (ctx.json)
    ctx.out.write(
      `${JSON.stringify({ job: job.id, collections: job.counts?.["collections"] ?? 0, items: job.counts?.["items"] ?? 0, bytes: job.result.bytes, output: file })}\n`,
    );
  return EXIT.ok;
}
