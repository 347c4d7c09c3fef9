// `hexarchive export` and `hexarchive import`: a catalogue (or a search of it) as NDJSON — its
// collections, then its items, one per line, read page after page — and that file written into another
// catalogue through the Transactions API, in batches, checkpointed so that a killed import resumes
// where it stopped, at a rate it is told.
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createInterface } from "node:readline";
import { exportableCollection, exportableItem } from "../../shared/stac/exportable.ts";
import { type Command, str } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { apiError, sleep } from "../http.ts";
import {
  type FoundItem,
  pageSizeOf,
  SEARCH_FLAGS,
  SEARCH_HELP,
  searchBody,
  searchItems,
} from "../search-query.ts";
import { EXPORT_FORMATS, exportFormat } from "./export-format.ts";
import { limitOf } from "./search.ts";

function unsigned(href: string): string {
  if (!href.includes("signature=")) return href;
  const u = new URL(href);
  u.searchParams.delete("signature");
  return u.toString();
}

/** An item as another catalogue should store it: no signed links, no links of the exporting API. */
export const exportedItem = (item: FoundItem): FoundItem => exportableItem(item, unsigned);

export const exportedCollection = (c: Record<string, unknown>): Record<string, unknown> =>
  exportableCollection(c);

export const exportCommand: Command = {
  name: "export",
  summary: "write a catalogue or a search as NDJSON: its collections, then every item (all pages)",
  usage:
    "hexarchive export [search options] [-n N] [-o FILE] [--format ndjson|geoparquet] [--no-collections] [--server [--poll S]]",
  flags: {
    ...SEARCH_FLAGS,
    limit: { type: "string", short: "n" },
    output: { type: "string", short: "o" },
    format: { type: "string" },
    "no-collections": { type: "boolean" },
    server: { type: "boolean" },
    poll: { type: "string" },
  },
  help: `${SEARCH_HELP}

Options:
  -n, --limit N         at most N items (default: every matching item)
  -o, --output FILE     write here (default: stdout); with --json a summary then goes to stdout
  --format F            ${EXPORT_FORMATS.join(" or ")} (default ndjson); geoparquet: one stac-geoparquet
                        file (-o required), collections in its metadata, built in memory
  --no-collections      items only
  --server              run the export on the server as a background job (POST /search/export), show
                        its progress, then download its file: for searches of any size (not with -n,
                        --no-collections or --page-size); geoparquet is then converted on the server
  --poll S              --server: ask for the job's progress every S seconds (default 2)

Each line is one JSON object: the collections first (those searched, or all), then the items, newest
first, as the API serves them without its own links and signatures. 'hexarchive import' reads it.

Examples:
  hexarchive export -o catalogue.ndjson
  hexarchive export -c sentinel-2-l2a --format geoparquet -o s2.parquet
  hexarchive export -c sentinel-2-l2a -d 2024 | gzip > s2-2024.ndjson.gz
  hexarchive export --server -c sentinel-2-l2a --format geoparquet -o s2.parquet`,
  async run(ctx) {
    const v = ctx.values;
    const file = str(v["output"]);
    if (ctx.json && !file)
      throw new UsageError("--json writes a summary to stdout: give the export a file with -o");
    if (v["server"])
      return (await import("./server-export.ts")).serverExport(
        ctx,
        searchBody(v as never),
        exportFormat(v["format"]),
        file,
      );
    // The stac-geoparquet code (and its Parquet library) is loaded only for that format.
    const parquet =
      exportFormat(v["format"]) === "geoparquet"
        ? new (await import("./geoparquet.ts")).GeoparquetExport(file ?? "")
        : undefined;
    if (parquet && !file) throw new UsageError("--format geoparquet writes a file: give it with -o");
    const out: NodeJS.WritableStream = file && !parquet ? createWriteStream(file) : ctx.out;
    const write =
      parquet?.add ??
      ((o: unknown) =>
        new Promise<void>((r) => (out.write(`${JSON.stringify(o)}\n`) ? r() : out.once("drain", () => r()))));
    const body = searchBody(v as never);
    let collections = 0;
    if (!v["no-collections"]) {
      const wanted = body["collections"] as string[] | undefined;
      const all = await ctx.api.json<{ collections: Record<string, unknown>[] }>("/collections?limit=10000");
      for (const c of all.collections)
        if (!wanted || wanted.includes(String(c["id"]))) {
          await write(exportedCollection(c));
          collections++;
        }
    }
    let items = 0;
    for await (const item of searchItems(
      ctx.api,
      body,
      limitOf(v["limit"], v["limit"] === undefined, 0),
      undefined,
      pageSizeOf(v["page-size"]),
    )) {
      await write(exportedItem(item));
      if (++items % 1000 === 0) ctx.err.write(`exported ${items} items\n`);
    }
    if (parquet) await parquet.close();
    else if (file) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(r));
    ctx.err.write(`exported ${collections} collections and ${items} items${file ? ` to ${file}` : ""}\n`);
    if (ctx.json) ctx.out.write(`${JSON.stringify({ collections, items, output: file })}\n`);
    return EXIT.ok;
  },
};

interface Checkpoint {
  /** Lines of the file done (imported or found already there). */
  line: number;
  collections: number;
  items: number;
}

export const importCommand: Command = {
  name: "import",
  summary: "write an NDJSON export into this catalogue (Transactions; resumable, rate-limited)",
  usage:
    "hexarchive import (--ndjson FILE | --geoparquet FILE) [--server [--poll S]] [--batch N] [--rate ITEMS_PER_S] [--checkpoint FILE]\n       hexarchive import --key KEY [--poll S]",
  flags: {
    ndjson: { type: "string" },
    geoparquet: { type: "string" },
    batch: { type: "string" },
    rate: { type: "string" },
    checkpoint: { type: "string" },
    server: { type: "boolean" },
    key: { type: "string" },
    poll: { type: "string" },
  },
  help: `Options:
  --ndjson FILE         collections and items, one JSON object a line ('hexarchive export')
  --geoparquet FILE     a stac-geoparquet file: its collections (metadata), then its items
  --batch N             items per request (POST of an ItemCollection; default 100, the API's most)
  --rate R              at most R items a second (default: as fast as the API takes them)
  --checkpoint FILE     where progress is kept (default: FILE.checkpoint); removed when done
  --server              upload the file and import it on the server as a background job (POST
                        /admin/import): the fast path for large files; the job's URL is kept in the
                        checkpoint file (default: FILE.server-import), and a command run again
                        follows that job
  --key KEY             import an object already under the server's import prefix, as a job
  --poll S              --server, --key: ask for the job's progress every S seconds (default 2)

Needs write access (the operators group). Collections that exist already are kept. Progress is written
after every batch: run the same command again after an interruption and it goes on from there; a batch
written just before the interruption is written again (PUT, which replaces).

Examples:
  hexarchive import -u operator --ndjson catalogue.ndjson
  hexarchive import -u operator --geoparquet s2.parquet
  hexarchive import -u operator --server --ndjson archive-dump.ndjson
  hexarchive import --url https://new.example.org -u operator --ndjson s2.ndjson --rate 200 --json`,
  async run(ctx) {
    const v = ctx.values;
    const parquet = str(v["geoparquet"]);
    const given = str(v["ndjson"]) ?? parquet;
    const key = str(v["key"]);
    if (key !== undefined) {
      if (given)
        throw new UsageError("--key names the server's object: give no --ndjson or --geoparquet with it");
      return (await import("./server-import.ts")).serverImportKey(ctx, key);
    }
    if (!given) throw new UsageError("--ndjson FILE or --geoparquet FILE is required");
    if (!existsSync(given)) throw new UsageError(`${given}: no such file`);
    if (v["server"]) {
      for (const flag of ["batch", "rate"])
        if (v[flag] !== undefined)
          throw new UsageError(`--${flag} does not apply to --server: the job writes at its own pace`);
      return (await import("./server-import.ts")).serverImport(
        ctx,
        given,
        // Not the client-side import's checkpoint: each kind of run follows only its own.
        str(v["checkpoint"]) ?? `${given}.server-import`,
        async () => {
          if (!parquet) return { path: given, done: () => {} };
          const converted = await (await import("./geoparquet.ts")).geoparquetAsNdjson(parquet);
          return { path: converted, done: () => unlinkSync(converted) };
        },
      );
    }
    if (v["poll"] !== undefined) throw new UsageError("--poll applies to --server and --key only");
    const file = parquet ? await (await import("./geoparquet.ts")).geoparquetAsNdjson(parquet) : given;
    const batchSize = Number(str(v["batch"]) ?? 100);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100)
      throw new UsageError("--batch: 1 to 100");
    const rate = str(v["rate"]) === undefined ? undefined : Number(str(v["rate"]));
    if (rate !== undefined && !(rate > 0)) throw new UsageError("--rate: items per second, more than 0");
    const cpFile = str(v["checkpoint"]) ?? `${given}.checkpoint`;
    const cp: Checkpoint = existsSync(cpFile)
      ? JSON.parse(readFileSync(cpFile, "utf8"))
      : { line: 0, collections: 0, items: 0 };
    const resumedAt = cp.line;
    if (resumedAt > 0) ctx.err.write(`resuming after line ${resumedAt} (${cp.items} items done)\n`);
    const save = () => {
      writeFileSync(`${cpFile}.tmp`, JSON.stringify(cp));
      renameSync(`${cpFile}.tmp`, cpFile);
    };
    const t0 = Date.now();
    let sent = 0;
    let batch: { collection: string; items: FoundItem[]; lastLine: number } | undefined;
    const flush = async () => {
      if (!batch) return;
      const { collection, items, lastLine } = batch;
      batch = undefined;
      const c = encodeURIComponent(collection);
      const res = await ctx.api.fetch(`/collections/${c}/items`, {
        method: "POST",
        body: { type: "FeatureCollection", features: items },
      });
      if (res.status === 409) {
        // Some are there already (a batch written just before an interruption): replace them one by one.
        await res.body?.cancel();
        for (const it of items)
          await ctx.api.ok(`/collections/${c}/items/${encodeURIComponent(it.id)}`, {
            method: "PUT",
            body: it,
          });
      } else if (!res.ok) throw await apiError(res);
      else await res.body?.cancel();
      cp.items += items.length;
      cp.line = lastLine;
      save();
      sent += items.length;
      if (rate) {
        const ahead = (sent / rate) * 1000 - (Date.now() - t0);
        if (ahead > 0) await sleep(ahead);
      }
      if (cp.items % 1000 < items.length) ctx.err.write(`imported ${cp.items} items\n`);
    };
    let n = 0;
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      n++;
      if (n <= cp.line || line.trim() === "") continue;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line);
      } catch (e) {
        throw new UsageError(`${file}:${n}: not JSON (${(e as Error).message})`);
      }
      if (o["type"] === "Collection") {
        await flush();
        const res = await ctx.api.fetch("/collections", { method: "POST", body: o });
        if (res.status !== 409 && !res.ok) throw await apiError(res);
        await res.body?.cancel();
        if (res.ok) cp.collections++;
        cp.line = n;
        save();
        continue;
      }
      if (o["type"] !== "Feature" || typeof o["collection"] !== "string")
        throw new UsageError(`${file}:${n}: expected a STAC Collection or an Item with a collection`);
      if (batch && (batch.collection !== o["collection"] || batch.items.length >= batchSize)) await flush();
      batch ??= { collection: o["collection"] as string, items: [], lastLine: n };
      batch.items.push(o as FoundItem);
      batch.lastLine = n;
    }
    await flush();
    unlinkSync(cpFile);
    if (parquet) unlinkSync(file);
    const secs = (Date.now() - t0) / 1000;
    ctx.err.write(
      `imported ${cp.collections} collections and ${cp.items} items (${sent} in this run, ${secs.toFixed(1)} s)\n`,
    );
    if (ctx.json)
      ctx.out.write(
        `${JSON.stringify({ collections: cp.collections, items: cp.items, thisRun: sent, resumedAfterLine: resumedAt, seconds: secs })}\n`,
      );
    return EXIT.ok;
  },
};
