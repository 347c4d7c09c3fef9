// `hexarchive failures` and `hexarchive stats`: the operators' API (group `operators`), as text or JSON.
import { type Command, str, writeJson } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { bytes } from "../format.ts";

interface Failure {
  key: string;
  time: string;
  code?: string;
  reason: string;
}

export const failuresCommand: Command = {
  name: "failures",
  summary: "objects in the products bucket that could not be indexed, and why (operators)",
  usage: "hexarchive failures [--json]",
  flags: {},
  help: `Lists GET /admin/failures: key, time and reason of every object not indexed.

Examples:
  hexarchive failures -u operator
  hexarchive failures --json | jq -r '.failures[].key'`,
  async run(ctx) {
    const r = await ctx.api.json<{ failures: Failure[]; count: number }>("/admin/failures");
    if (ctx.json) writeJson(ctx, r);
    else if (r.failures.length === 0)
      ctx.out.write("No failures: every product uploaded so far is indexed.\n");
    else
      for (const f of r.failures)
        ctx.out.write(`${f.time}  ${f.key}\n    ${f.code ? `${f.code}: ` : ""}${f.reason}\n`);
    return EXIT.ok;
  },
};

const REPORTS = ["downloads", "top-products", "users", "search-params"] as const;

export const statsCommand: Command = {
  name: "stats",
  summary: "download and search statistics (operators): downloads, top-products, users, search-params",
  usage: "hexarchive stats [REPORT] [--from DATE] [--to DATE] [--limit N] [--json]",
  positionals: true,
  flags: { from: { type: "string" }, to: { type: "string" }, limit: { type: "string", short: "n" } },
  help: `Reports (GET /admin/stats/REPORT; default downloads):
  downloads       downloads and bytes per collection and month
  top-products    the most downloaded products, with distinct users (--limit N, default 10)
  users           active users
  search-params   how often each search parameter was used (per month)
Options:
  --from DATE, --to DATE   the period (RFC 3339 dates; default the last 30 days)

Examples:
  hexarchive stats -u operator --from 2026-01-01 --to 2026-12-31
  hexarchive stats top-products -n 20 --json`,
  async run(ctx) {
    const report = ctx.positionals[0] ?? "downloads";
    if (!(REPORTS as readonly string[]).includes(report) || ctx.positionals.length > 1)
      throw new UsageError(
        `stats: expected one report of ${REPORTS.join(", ")}, got '${ctx.positionals.join(" ")}'`,
      );
    const q = new URLSearchParams();
    for (const k of ["from", "to", "limit"]) {
      const v = str(ctx.values[k]);
      if (v !== undefined) q.set(k, v);
    }
    const r = await ctx.api.json<Record<string, unknown>>(`/admin/stats/${report}${q.size ? `?${q}` : ""}`);
    if (ctx.json) {
      writeJson(ctx, r);
      return EXIT.ok;
    }
    ctx.out.write(`${report} from ${r["from"]} to ${r["to"]}\n`);
    if (report === "downloads") {
      ctx.out.write(`${r["downloads"]} downloads, ${bytes(r["bytes"] as number)}\n`);
      for (const row of (r["byCollectionAndMonth"] as Record<string, unknown>[]) ?? [])
        ctx.out.write(`  ${Object.values(row).map(String).join("  ")}\n`);
    } else {
      const rows = (r["products"] ?? r["users"] ?? r["parameters"]) as unknown;
      if (report === "users") ctx.out.write(`${r["activeUsers"]} active users\n`);
      const list = Array.isArray(rows) ? rows : Object.entries((rows as Record<string, unknown>) ?? {});
      for (const row of list)
        ctx.out.write(
          `  ${
            Array.isArray(row)
              ? row.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join("  ")
              : Object.values(row as object)
                  .map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x)))
                  .join("  ")
          }\n`,
        );
    }
    return EXIT.ok;
  },
};
