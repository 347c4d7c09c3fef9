// Fields extension: which parts of each returned item to keep (`include`) or drop (`exclude`), by
// dotted path (`properties.eo:cloud_cover`, `assets`). The more specific path wins; on a tie, include.
import { BadRequestError } from "../errors.ts";

export interface FieldsSpec {
  include: string[];
  exclude: string[];
}

/** Always returned: without them a result is not a valid STAC item or cannot be followed. */
const REQUIRED = ["type", "stac_version", "id", "collection", "links"];
/** What `include` adds to (set union, as the extension specifies); `exclude` may still remove these. */
const DEFAULT_SET = ["geometry", "bbox", "assets", "properties.datetime"];

function paths(v: unknown, name: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && x.trim() !== ""))
    throw new BadRequestError(`fields.${name}: expected an array of field paths`);
  return (v as string[]).map((s) => s.trim());
}

/** GET: `a,-b,+c`; POST: `{include: [...], exclude: [...]}`. */
export function parseFields(v: unknown, source: "query" | "body"): FieldsSpec {
  if (typeof v === "string" && source === "query") {
    const spec: FieldsSpec = { include: [], exclude: [] };
    for (const raw of v.split(",").map((s) => s.trim())) {
      if (raw === "" || raw === "-" || raw === "+") continue;
      if (raw[0] === "-") spec.exclude.push(raw.slice(1));
      else spec.include.push(raw[0] === "+" ? raw.slice(1) : raw);
    }
    return spec;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new BadRequestError("fields: expected {include: [...], exclude: [...]} (POST) or 'a,-b' (GET)");
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== "include" && k !== "exclude");
  if (extra.length > 0)
    throw new BadRequestError(`fields: unknown member '${extra[0]}' (use include, exclude)`);
  return { include: paths(o["include"], "include"), exclude: paths(o["exclude"], "exclude") };
}

const isPrefix = (p: string, path: string) => path === p || path.startsWith(`${p}.`);

/** Longest configured path that covers `path` (or that `path` covers), with its verdict. */
function verdict(path: string, spec: FieldsSpec): "include" | "exclude" | "partial" | undefined {
  let best: { len: number; v: "include" | "exclude" } | undefined;
  for (const [list, v] of [
    [spec.exclude, "exclude"],
    [spec.include, "include"],
  ] as const) {
    for (const p of list)
      if (isPrefix(p, path) && (!best || p.length >= best.len)) best = { len: p.length, v };
  }
  // A deeper rule below this path means keeping the object and deciding inside it.
  const deeper = [...spec.include, ...spec.exclude].some((p) => p.startsWith(`${path}.`));
  if (deeper) return "partial";
  return best?.v;
}

function project(
  value: Record<string, unknown>,
  prefix: string,
  spec: FieldsSpec,
  dflt: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!prefix && REQUIRED.includes(k)) {
      out[k] = v;
      continue;
    }
    const d = verdict(path, spec);
    if (d === "partial" && typeof v === "object" && v !== null && !Array.isArray(v)) {
      const own = [...spec.include, ...spec.exclude]
        .filter((p) => isPrefix(p, path))
        .sort((a, b) => b.length - a.length)[0];
      const inner = own ? spec.include.includes(own) : dflt;
      const sub = project(v as Record<string, unknown>, path, spec, inner);
      if (Object.keys(sub).length > 0 || inner) out[k] = sub;
    } else if (d === "include" || (d === undefined && dflt)) out[k] = v;
  }
  return out;
}

/**
 * With only excludes everything else stays; with includes, the default set plus what they name.
 * Either way the fields a STAC item cannot do without stay.
 */
export function applyFields<T extends object>(item: T, spec: FieldsSpec | undefined): T {
  if (!spec || (spec.include.length === 0 && spec.exclude.length === 0)) return item;
  if (spec.include.length === 0) return project(item as Record<string, unknown>, "", spec, true) as T;
  const include = [...DEFAULT_SET.filter((d) => !spec.exclude.includes(d)), ...spec.include];
  return project(item as Record<string, unknown>, "", { include, exclude: spec.exclude }, false) as T;
}
