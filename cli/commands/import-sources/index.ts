// `hexarchive import --from-stac URL` and `--from-dhus URL`: the import command's other sources, added
// to it (withImportSources) so that the NDJSON import stays as it is: same checkpointing, rate, batch.
import { type Command, type Context, str } from "../../command.ts";
import { UsageError } from "../../errors.ts";
import { Api } from "../../http.ts";
import { pageSizeOf, SEARCH_FLAGS, SEARCH_HELP, searchBody } from "../../search-query.ts";
import { defaultCheckpointFile } from "./checkpoint.ts";
import { dhusSource } from "./dhus-odata.ts";
import { runImport } from "./run.ts";
import type { ImportSource } from "./source.ts";
import { stacSource } from "./stac-api.ts";

const FLAGS = {
  "from-stac": { type: "string" },
  "from-dhus": { type: "string" },
  query: { type: "string" },
  into: { type: "string" },
  "by-collection": { type: "boolean" },
  replace: { type: "boolean" },
  "source-user": { type: "string" },
  ...SEARCH_FLAGS,
} as const;

const HELP = `Other catalogues:
  --from-stac URL       a STAC API: its collections (created here when missing), then its items,
                        by POST /search (or GET /collections/{id}/items), with the search options below
  --from-dhus URL       a DHuS (ESA's Data Hub, or a hexarchive's /dhus): its OData Products, each made
                        an item (footprint, times, platform, type, size, MD5; the $value link as asset)
  --query FILTER        (DHuS) an OData $filter, e.g. "substringof('MSIL2A',Name) and IngestionDate gt
                        datetime'2024-01-01T00:00:00'"
  --into COLLECTION     (DHuS) put every product in this collection (default: the collection a
                        hexarchive hub names, else platform and product type, e.g. sentinel-2-s2msi2a)
  --by-collection       (STAC) read /collections/{id}/items instead of /search
  --replace             replace items this catalogue has already (default: keep them, counted as skipped)
  --source-user NAME    sign in to the source (password: HEXARCHIVE_SOURCE_PASSWORD; user also
                        HEXARCHIVE_SOURCE_USER); credentials go to the source's origin only
  --page-size N         items (products) a request from the source (default 100)
  --checkpoint FILE     default: hexarchive-import-<hash of source, search and target>.checkpoint here

${SEARCH_HELP.replace("Search options:", "Search options (--from-stac):").replace(/\n.*--page-size.*$/m, "")}

A product that cannot be made an item (a footprint that does not parse) and an item this catalogue
refuses are reported by name and counted as failed; the import goes on (exit code 3 at the end).

Examples (other catalogues):
  hexarchive import -u operator --from-stac https://earth-search.example.org/v1 -c sentinel-2-l2a \\
      --bbox 12,48,19,51 -d 2024-06 --rate 50
  HEXARCHIVE_SOURCE_PASSWORD=… hexarchive import -u operator --from-dhus https://old-hub.example.org/dhus \\
      --source-user mirror --query "substringof('S1A_IW_GRDH',Name)"`;

const SEARCH_KEYS = Object.keys(SEARCH_FLAGS).filter((k) => k !== "page-size");

/** The import command with --from-stac and --from-dhus beside its own sources. */
export function withImportSources(command: Command): Command {
  return {
    ...command,
    summary: `${command.summary.replace(/^write an NDJSON export/, "write an NDJSON export, a STAC API or a DHuS")}`,
    usage: `${command.usage}\n       hexarchive import --from-stac URL [search options] | --from-dhus URL [--query FILTER] [options]`,
    flags: { ...command.flags, ...FLAGS },
    help: `${command.help}\n\n${HELP}`,
    run: (ctx) =>
      ctx.values["from-stac"] !== undefined || ctx.values["from-dhus"] !== undefined
        ? importFromCatalogue(ctx)
        : rejectStray(ctx, command),
  };
}

function rejectStray(ctx: Context, command: Command): Promise<number> {
  const which = (k: string) =>
    k === "query" || k === "into"
      ? "--from-dhus"
      : SEARCH_KEYS.includes(k) || k === "by-collection"
        ? "--from-stac"
        : "--from-stac or --from-dhus";
  const stray = [
    ...SEARCH_KEYS,
    "page-size",
    "query",
    "into",
    "by-collection",
    "replace",
    "source-user",
  ].find((k) => ctx.values[k] !== undefined);
  if (stray) throw new UsageError(`--${stray} is for ${which(stray)}`);
  return command.run(ctx);
}

function number(v: unknown, name: string, ok: (n: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!ok(n)) throw new UsageError(`${name}: ${what}, got '${String(v)}'`);
  return n;
}

async function importFromCatalogue(ctx: Context): Promise<number> {
  const v = ctx.values;
  const stac = str(v["from-stac"]);
  const dhus = str(v["from-dhus"]);
  if (stac !== undefined && dhus !== undefined) throw new UsageError("--from-stac or --from-dhus, not both");
  if (v["ndjson"] !== undefined) throw new UsageError("--ndjson or a catalogue to import from, not both");
  const url = (stac ?? dhus)!;
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error();
  } catch {
    throw new UsageError(`--from-${stac ? "stac" : "dhus"}: expected an http(s) URL, got '${url}'`);
  }
  const batch =
    number(v["batch"], "--batch", (n) => Number.isInteger(n) && n >= 1 && n <= 100, "1 to 100") ?? 100;
  const rate = number(v["rate"], "--rate", (n) => n > 0, "items per second, more than 0");
  const user = str(v["source-user"]) ?? ctx.config.source?.user;
  const source = new Api({
    ...ctx.config,
    url: url.replace(/\/+$/, ""),
    user,
    password: ctx.config.source?.password,
  });
  const replace = v["replace"] === true;
  let from: ImportSource;
  if (stac) {
    for (const k of ["query", "into"])
      if (v[k] !== undefined) throw new UsageError(`--${k} is for --from-dhus`);
    from = await stacSource(source, {
      url,
      body: searchBody(v as never),
      pageSize: v["page-size"] === undefined ? 100 : pageSizeOf(v["page-size"]),
      byCollection: v["by-collection"] === true,
    });
  } else {
    const stray = [...SEARCH_KEYS, "by-collection"].filter((k) => v[k] !== undefined);
    if (stray.length) throw new UsageError(`--${stray[0]} is for --from-stac (give a DHuS --query)`);
    const pageSize = number(
      v["page-size"],
      "--page-size",
      (n) => Number.isInteger(n) && n >= 1 && n <= 100,
      "1 to 100 (DHuS serves at most 100)",
    );
    from = dhusSource(source, {
      url,
      filter: str(v["query"]),
      pageSize: pageSize ?? 100,
      collection: str(v["into"]),
      signedIn: user !== undefined,
    });
  }
  const checkpoint = str(v["checkpoint"]) ?? defaultCheckpointFile(from.describe, ctx.config.url);
  return runImport(ctx, from, { batch, rate, checkpoint, replace });
}
