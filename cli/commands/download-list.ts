// `hexarchive download-list`: the API's download list of a search or of items (Metalink 4 or aria2
// input), for aria2c or any Metalink client; its links re-sign themselves, so a long run survives.
import { writeFileSync } from "node:fs";
import { type Command, str, strs } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { apiError } from "../http.ts";
import { SEARCH_FLAGS, SEARCH_HELP, searchBody } from "../search-query.ts";

export const downloadListCommand: Command = {
  name: "download-list",
  summary: "write a Metalink 4 or aria2 list of a search or of items (POST /search/download-list)",
  usage:
    "hexarchive download-list [search options | COLLECTION/ITEM_ID...] [--format metalink|aria2] [-o FILE]",
  positionals: true,
  flags: {
    ...SEARCH_FLAGS,
    format: { type: "string", short: "F" },
    asset: { type: "string", short: "a", multiple: true },
    output: { type: "string", short: "o" },
  },
  help: `${SEARCH_HELP}

Options:
  COLLECTION/ITEM_ID    items by id instead of a search
  -F, --format F        metalink (default) or aria2
  -a, --asset KEY       only these asset keys (repeatable; default: every asset)
  -o, --output FILE     write the list here (default: stdout)

A list holds at most 1000 items. For a signed-in user its links are signed for that user and that file
and work for a week: each request re-signs and redirects to a fresh presigned URL.

Examples:
  hexarchive download-list -c sentinel-2-l2a --bbox 14.2,49.9,14.7,50.2 --format aria2 -a product -o list.txt
  aria2c -c -j 4 -i list.txt
  hexarchive download-list sentinel-1-grd/S1A_IW_GRDH_1SDV_20240512T050731_20240512T050756_053791_068F3A_B98A -o s1.meta4`,
  async run(ctx) {
    const v = ctx.values;
    const format = str(v["format"]) ?? "metalink";
    if (format !== "metalink" && format !== "aria2")
      throw new UsageError(`--format: expected metalink or aria2, got '${format}'`);
    const assets = strs(v["asset"]);
    let body: Record<string, unknown>;
    if (ctx.positionals.length > 0) {
      body = {
        ids: ctx.positionals.map((r) => {
          const i = r.indexOf("/");
          if (i < 1) throw new UsageError(`'${r}': expected COLLECTION/ITEM_ID`);
          return { collection: r.slice(0, i), id: r.slice(i + 1) };
        }),
      };
    } else body = searchBody(v as never);
    if (assets.length) body["assets"] = assets;
    const res = await ctx.api.fetch(`/search/download-list?format=${format}`, { method: "POST", body });
    if (!res.ok) throw await apiError(res);
    const text = await res.text();
    const out = str(v["output"]);
    const files =
      format === "metalink"
        ? (text.match(/<file /g) ?? []).length
        : (text.match(/^\S/gm) ?? []).filter((l) => l !== "#").length;
    if (out) writeFileSync(out, text);
    if (ctx.json)
      ctx.out.write(
        `${JSON.stringify({ format, files, output: out ?? null, ...(out ? {} : { list: text }) })}\n`,
      );
    else if (!out) ctx.out.write(text);
    else ctx.err.write(`${files} files listed in ${out}\n`);
    return EXIT.ok;
  },
};
