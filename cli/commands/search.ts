// `hexarchive search`: a STAC search as a table, JSON, GeoJSON or CSV, through every page up to --limit;
// `--count` asks only how many items match.
import { type Command, type Context, str } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { bytes } from "../format.ts";
import {
  type FoundItem,
  pageSizeOf,
  SEARCH_FLAGS,
  SEARCH_HELP,
  searchBody,
  searchItems,
} from "../search-query.ts";

const FORMATS = ["table", "json", "geojson", "csv"] as const;
type Format = (typeof FORMATS)[number];

export function limitOf(v: unknown, all: boolean, fallback: number): number {
  if (all) return Number.POSITIVE_INFINITY;
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit: expected a whole number ≥ 1, got '${v}'`);
  return n;
}

const sizeOf = (i: FoundItem) => i.assets["product"]?.["file:size"] as number | undefined;

const COLUMNS = ["collection", "id", "datetime", "eo:cloud_cover", "platform", "size"] as const;
const row = (i: FoundItem) => [
  i.collection,
  i.id,
  String(i.properties["datetime"] ?? i.properties["start_datetime"] ?? ""),
  i.properties["eo:cloud_cover"] === undefined ? "" : String(i.properties["eo:cloud_cover"]),
  String(i.properties["platform"] ?? ""),
  sizeOf(i) === undefined ? "" : String(sizeOf(i)),
];

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Writes items as they arrive: nothing is held but the current page. */
function writer(ctx: Context, format: Format) {
  const out = ctx.out;
  let n = 0;
  return {
    start() {
      if (format === "csv") out.write(`${COLUMNS.join(",")}\n`);
      if (format === "table")
        out.write(
          `${"COLLECTION".padEnd(18)} ${"DATETIME".padEnd(27)} ${"CLOUD".padStart(5)} ${"SIZE".padStart(8)}  ID\n`,
        );
      if (format === "geojson") out.write('{"type":"FeatureCollection","features":[\n');
      if (format === "json") out.write("[\n");
    },
    item(i: FoundItem) {
      const sep = n++ > 0 ? ",\n" : "";
      if (format === "csv") out.write(`${row(i).map(csvCell).join(",")}\n`);
      else if (format === "table") {
        const r = row(i);
        const cloud = r[3] ? Number(r[3]).toFixed(1) : "";
        out.write(
          `${r[0]!.padEnd(18)} ${r[2]!.padEnd(27)} ${cloud.padStart(5)} ${bytes(sizeOf(i)).padStart(8)}  ${r[1]}\n`,
        );
      } else out.write(`${sep}${JSON.stringify(i)}`);
    },
    end(matched: { numberMatched?: number | undefined; estimate: boolean }) {
      if (format === "geojson") {
        const extra = matched.numberMatched === undefined ? "" : `,"numberMatched":${matched.numberMatched}`;
        out.write(`\n],"numberReturned":${n}${extra}}\n`);
      }
      if (format === "json") out.write(`${n ? "\n" : ""}]\n`);
      if (format === "table") {
        const total =
          matched.numberMatched === undefined
            ? ""
            : ` of ${matched.estimate ? "about " : ""}${matched.numberMatched}`;
        ctx.err.write(`${n} items${total}\n`);
      }
    },
  };
}

export const searchCommand: Command = {
  name: "search",
  summary: "search the catalogue (table, JSON, GeoJSON, CSV), or count matches",
  usage: "hexarchive search [search options] [--limit N | --all] [--format F | --count]",
  flags: {
    ...SEARCH_FLAGS,
    limit: { type: "string", short: "n" },
    all: { type: "boolean" },
    format: { type: "string", short: "F" },
    count: { type: "boolean" },
  },
  help: `${SEARCH_HELP}

Output:
  -n, --limit N         at most N items, read page after page (default 10)
  --all                 every matching item
  -F, --format F        table (default), json (an array of items), geojson (a FeatureCollection), csv
  --count               print only how many items match ("about N" when the API estimates)
  --json                the same as --format json; with --count: {"numberMatched": N, "estimate": false}

Examples:
  hexarchive search --bbox 14.2,49.9,14.7,50.2 -n 5
  hexarchive search -c sentinel-2-l2a -d 2024-06-01/2024-06-30 -f "eo:cloud_cover < 20" --format csv > s2.csv
  hexarchive search --wkt 'POINT(14.42 50.08)' --all --format geojson > prague.geojson
  hexarchive search -c sentinel-1-grd --count`,
  async run(ctx) {
    const v = ctx.values;
    const body = searchBody(v as never);
    if (v["count"]) {
      const page = await ctx.api.json<{ numberMatched?: number; "hexarchive:numberMatched"?: string }>(
        "/search",
        {
          method: "POST",
          body: { ...body, limit: 1, fields: { include: ["id"] } },
        },
      );
      const estimate = page["hexarchive:numberMatched"] === "estimate";
      if (ctx.json)
        ctx.out.write(`${JSON.stringify({ numberMatched: page.numberMatched ?? null, estimate })}\n`);
      else ctx.out.write(`${estimate ? "about " : ""}${page.numberMatched ?? "unknown"}\n`);
      return EXIT.ok;
    }
    const format = (ctx.json ? "json" : (str(v["format"]) ?? "table")) as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format: expected one of ${FORMATS.join(", ")}, got '${format}'`);
    const limit = limitOf(v["limit"], v["all"] === true, 10);
    const w = writer(ctx, format);
    let matched: { numberMatched?: number | undefined; estimate: boolean } = { estimate: false };
    // Started with the first page, so that an error before it leaves stdout to the error document.
    let started = false;
    const pageSize = pageSizeOf(v["page-size"]);
    for await (const item of searchItems(
      ctx.api,
      body,
      limit,
      (p) => {
        if (!started) {
          started = true;
          matched = p;
          w.start();
        }
      },
      pageSize,
    ))
      w.item(item);
    if (!started) w.start();
    w.end(matched);
    return EXIT.ok;
  },
};
