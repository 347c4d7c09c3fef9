// Upstream deletion lists: CDSE's `DeletedProducts` OData JSON (`{"value": [{"Id", "Name", …,
// "DeletionDate", "DeletionCause"}]}`) or a CSV of names and causes, read into one shape; product
// names matched to items (the name without its .SAFE/.SEN3/.zip ending is the item id).
import { BadRequestError } from "../errors.ts";

export interface UpstreamDeletion {
  /** The upstream's product name, e.g. S2A_MSIL2A_…_20240501T124721.SAFE. */
  name: string;
  /** The upstream's own id (CDSE: a UUID), when given. */
  upstreamId?: string;
  /** The upstream's free-text cause, e.g. "Obsolete product format". */
  cause?: string;
  deletedAt?: string;
}

/** A JSON document (OData `value`, or a bare array) or CSV text; a 400 naming the entry or line at fault. */
export function parseUpstreamDeletions(text: string, file = "deletion list"): UpstreamDeletion[] {
  const t = text.replace(/^\uFEFF/, "").trimStart();
  return t.startsWith("{") || t.startsWith("[") ? fromOData(t, file) : fromCsv(t, file);
}

function fromOData(text: string, file: string): UpstreamDeletion[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BadRequestError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const entries = Array.isArray(doc) ? doc : (doc as { value?: unknown }).value;
  if (!Array.isArray(entries))
    throw new BadRequestError(`${file}: expected CDSE's DeletedProducts JSON, {"value": [ … ]}`);
  return entries.map((e, i) => {
    const o = e as Record<string, unknown>;
    if (typeof o?.["Name"] !== "string" || o["Name"] === "")
      throw new BadRequestError(`${file}: value[${i}] has no Name (the product name)`);
    const d: UpstreamDeletion = { name: o["Name"] };
    if (typeof o["Id"] === "string") d.upstreamId = o["Id"];
    if (typeof o["DeletionCause"] === "string" && o["DeletionCause"] !== "") d.cause = o["DeletionCause"];
    if (typeof o["DeletionDate"] === "string") d.deletedAt = o["DeletionDate"];
    return d;
  });
}

/** A header line naming the columns: `name` (or Name/identifier), optionally `cause` and `date`. */
function fromCsv(text: string, file: string): UpstreamDeletion[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsv(lines[0] ?? "").map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const name = col("name", "identifier", "product", "title");
  const cause = col("cause", "deletioncause", "reason");
  const date = col("date", "deletiondate", "deleted");
  if (name < 0)
    throw new BadRequestError(
      `${file} line 1: a CSV needs a header naming a 'name' column (and 'cause', 'date')`,
    );
  const out: UpstreamDeletion[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const cells = splitCsv(line);
    const n = cells[name]?.trim();
    if (!n) throw new BadRequestError(`${file} line ${i + 2}: no product name in column ${name + 1}`);
    const d: UpstreamDeletion = { name: n };
    const c = cause >= 0 ? cells[cause]?.trim() : undefined;
    if (c) d.cause = c;
    const at = date >= 0 ? cells[date]?.trim() : undefined;
    if (at) d.deletedAt = at;
    out.push(d);
  });
  return out;
}

/** One CSV line: commas (or semicolons) between cells, double quotes around cells that hold them. */
function splitCsv(line: string): string[] {
  const sep = !line.includes(",") && line.includes(";") ? ";" : ",";
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      cells.push(cur);
      cur = "";
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

/** The item id a product name stands for: the name without its container's ending. */
export const itemIdOfName = (name: string): string =>
  name.trim().replace(/(\.(SAFE|SEN3|SEN3\.zip|SAFE\.zip|zip|tar|nc|tgz|tar\.gz))$/i, "");
