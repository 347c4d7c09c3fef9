// `hexarchive download`: the files of a search, of items by id, or of a download list; in parallel,
// resumable, checksum-verified, with progress and a summary (docs/cli.md).
import { resolve } from "node:path";
import { type Command, type Context, str, strs } from "../command.ts";
import { fetchFile } from "../download/fetch-file.ts";
import { assetFiles, type PlannedFile, productFiles, readListFile } from "../download/plan.ts";
import { EXIT, UsageError } from "../errors.ts";
import { bytes, duration, parseSize, rate } from "../format.ts";
import { eachLimit } from "../pool.ts";
import { progress } from "../progress.ts";
import {
  type FoundItem,
  itemsByRef,
  pageSizeOf,
  SEARCH_FLAGS,
  SEARCH_HELP,
  searchBody,
  searchItems,
} from "../search-query.ts";
import { limitOf } from "./search.ts";

interface FileResult {
  name: string;
  status: "downloaded" | "complete" | "failed" | "planned";
  bytes?: number | undefined;
  size?: number | undefined;
  verified?: string | undefined;
  error?: string | undefined;
}

async function plan(ctx: Context): Promise<PlannedFile[]> {
  const v = ctx.values;
  const listFile = str(v["list"]);
  const refs = ctx.positionals;
  const searching = Object.keys(SEARCH_FLAGS).some((k) => v[k] !== undefined);
  if ([listFile !== undefined, refs.length > 0, searching].filter(Boolean).length !== 1)
    throw new UsageError("give one of: search options, COLLECTION/ITEM_ID arguments, or --list FILE");
  if (listFile) return readListFile(listFile);
  let items: FoundItem[];
  if (refs.length > 0) items = await itemsByRef(ctx.api, refs);
  else {
    items = [];
    for await (const i of searchItems(
      ctx.api,
      searchBody(v as never),
      limitOf(v["limit"], v["all"] === true, 10),
      undefined,
      pageSizeOf(v["page-size"]),
    ))
      items.push(i);
  }
  const globs = strs(v["files"]);
  const assets = strs(v["asset"]);
  const files = globs.length > 0 ? await productFiles(ctx.api, items, globs) : [];
  if (assets.length > 0 || globs.length === 0) files.push(...(await assetFiles(ctx.api, items, assets)));
  return files;
}

export const downloadCommand: Command = {
  name: "download",
  summary: "download the files of a search, of items, or of a download list (resumable, verified)",
  usage: "hexarchive download [search options | COLLECTION/ITEM_ID... | --list FILE] [-o DIR] [options]",
  positionals: true,
  flags: {
    ...SEARCH_FLAGS,
    limit: { type: "string", short: "n" },
    all: { type: "boolean" },
    list: { type: "string" },
    asset: { type: "string", short: "a", multiple: true },
    files: { type: "string", multiple: true },
    output: { type: "string", short: "o" },
    parallel: { type: "string", short: "p" },
    "rate-limit": { type: "string" },
    "dry-run": { type: "boolean" },
  },
  help: `What to download (one of):
  search options        as for 'hexarchive search' (at most --limit items, default 10; --all for every one)
  COLLECTION/ITEM_ID    items by id
  --list FILE           a Metalink 4 or aria2 list ('hexarchive download-list', the search page's basket)

${SEARCH_HELP}

Which files of each item:
  -a, --asset KEY       asset keys, globs allowed (repeatable); default: 'product' where there is one,
                        else every asset but previews
  --files GLOB          files inside the product by path (repeatable): '*' within a folder, '**' across
                        folders, e.g. '**/IMG_DATA/*_B04_*.jp2' or 'manifest.safe'

Options:
  -o, --output DIR      where to put files (default: .); each item's files go in a folder named after it
  -p, --parallel N      files at a time (default 4)
  --rate-limit RATE     cap each file's rate, e.g. 2M (bytes per second; k, M, G)
  --dry-run             list what would be downloaded, with sizes, and stop

A file is written to NAME.part and renamed once its size and checksum (SHA-256 or MD5, when the
catalogue knows one) are right; run the same command again to resume an interrupted download with HTTP
ranges. Requests that fail with a network error, 429 or 5xx are retried with backoff (Retry-After
honoured); files being prepared (202) are waited for. Exit code 3: some files failed, the rest are done.

Examples:
  hexarchive download -c sentinel-2-l2a --bbox 14.2,49.9,14.7,50.2 -d 2024-06 -o s2/
  hexarchive download sentinel-2-l2a/S2B_MSIL2A_20240602T100019_N0510_R051_T33UWR_20240602T121719 --files 'manifest.safe'
  hexarchive download --list basket.meta4 -p 8 --rate-limit 20M
  hexarchive download -c sentinel-1-grd --all --dry-run --json`,
  async run(ctx) {
    const v = ctx.values;
    const outDir = resolve(str(v["output"]) ?? ".");
    const parallel = Number(str(v["parallel"]) ?? 4);
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64)
      throw new UsageError(`--parallel: expected 1 to 64, got '${str(v["parallel"])}'`);
    const rateText = str(v["rate-limit"]);
    const rateLimit = rateText === undefined ? undefined : parseSize(rateText);
    if (rateText !== undefined && !rateLimit)
      throw new UsageError(`--rate-limit: expected e.g. 500k or 2M, got '${rateText}'`);
    const files = await plan(ctx);
    const known = files.every((f) => f.size !== undefined);
    const totalBytes = known ? files.reduce((n, f) => n + f.size!, 0) : undefined;
    if (v["dry-run"]) {
      if (ctx.json) {
        ctx.out.write(
          `${JSON.stringify({ dryRun: true, files: files.map((f) => ({ ...f, status: "planned" })), totalBytes: totalBytes ?? null }, null, 2)}\n`,
        );
      } else {
        for (const f of files)
          ctx.out.write(`${bytes(f.size).padStart(9)}  ${(f.hashes[0]?.[0] ?? "-").padEnd(7)}  ${f.name}\n`);
        ctx.out.write(
          `${files.length} files, ${bytes(totalBytes)}${known ? "" : " (some sizes unknown)"} (dry run: nothing downloaded)\n`,
        );
      }
      return EXIT.ok;
    }
    if (files.length === 0) {
      if (ctx.json)
        ctx.out.write(`${JSON.stringify({ files: [], downloaded: 0, complete: 0, failed: 0 })}\n`);
      else ctx.err.write("nothing to download: no files matched\n");
      return EXIT.ok;
    }
    const t0 = Date.now();
    const bar = progress(ctx.err, { totalFiles: files.length, totalBytes, verb: "downloading" });
    const results: FileResult[] = [];
    await eachLimit(files, parallel, async (f) => {
      bar.begin(f.name);
      try {
        const r = await fetchFile(ctx.api, f, outDir, {
          rateLimit,
          events: {
            start: (have, total) => bar.start(f.name, have, total),
            progress: (n) => bar.add(f.name, n),
            retry: (why, ms) => bar.note(f.name, `${why}; retrying in ${duration(ms)}`),
          },
        });
        results.push({ name: f.name, status: r.status, bytes: r.bytes, size: f.size, verified: r.verified });
        bar.end(
          f.name,
          r.status === "complete" ? "already complete" : `done${r.verified ? ` (${r.verified} ok)` : ""}`,
        );
      } catch (e) {
        results.push({ name: f.name, status: "failed", size: f.size, error: (e as Error).message });
        bar.end(f.name, `FAILED (${(e as Error).message})`);
      }
    });
    bar.close();
    const secs = (Date.now() - t0) / 1000;
    const count = (s: FileResult["status"]) => results.filter((r) => r.status === s).length;
    const moved = results.filter((r) => r.status === "downloaded").reduce((n, r) => n + (r.bytes ?? 0), 0);
    const failed = results.filter((r) => r.status === "failed");
    const code =
      failed.length === 0 ? EXIT.ok : failed.length === results.length ? EXIT.failure : EXIT.partial;
    if (ctx.json) {
      ctx.out.write(
        `${JSON.stringify({ files: results, downloaded: count("downloaded"), complete: count("complete"), failed: failed.length, bytes: moved, seconds: secs, exitCode: code }, null, 2)}\n`,
      );
    }
    ctx.err.write(
      `${count("downloaded")} downloaded (${bytes(moved)} in ${duration(secs * 1000)}, ${rate(secs > 0 ? moved / secs : 0)}), ${count("complete")} already complete, ${failed.length} failed; in ${outDir}\n`,
    );
    for (const f of failed) ctx.err.write(`  failed: ${f.name}: ${f.error}\n`);
    return code;
  },
};
