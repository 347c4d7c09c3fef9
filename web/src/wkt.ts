// WKT POLYGON and MULTIPOLYGON text read into GeoJSON coordinates, and written back (the page's URL
// holds a search area as WKT), with messages that say where the text goes wrong.

/** What the user typed or pasted is not a usable area; the message says what to fix. */
export class AreaError extends Error {}

/** Polygons, each an outer ring then holes, each ring [longitude, latitude] pairs. */
export type Polygons = number[][][][];

type Nested = number[] | Nested[];

const TOKEN = /\s*([(),]|[^\s(),]+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) out.push(m[1]!);
  return out;
}

/** One parenthesised list: either of lists, or of points (numbers separated by spaces). */
function list(tokens: string[], at: { i: number }): Nested {
  if (tokens[at.i] !== "(")
    throw new AreaError(
      `expected '(' but found ${tokens[at.i] ? `'${tokens[at.i]}'` : "the end of the text"}`,
    );
  at.i++;
  const items: Nested[] = [];
  const points: number[][] = [];
  for (;;) {
    if (tokens[at.i] === "(") items.push(list(tokens, at));
    else {
      const nums: number[] = [];
      while (at.i < tokens.length && !["(", ")", ","].includes(tokens[at.i]!)) {
        const t = tokens[at.i++]!;
        const n = Number(t);
        if (!Number.isFinite(n)) throw new AreaError(`'${t}' is not a number`);
        nums.push(n);
      }
      points.push(nums);
    }
    const t = tokens[at.i++];
    if (t === ",") continue;
    if (t === ")") break;
    throw new AreaError(t ? `expected ',' or ')' but found '${t}'` : "a ')' is missing at the end");
  }
  if (items.length && points.some((p) => p.length)) throw new AreaError("a list mixes points and lists");
  return items.length ? items : (points as Nested);
}

/** The rings of a WKT POLYGON or MULTIPOLYGON (positions not yet checked: see area.ts). */
export function parseWkt(input: string): { polygons: Polygons; dims: number } {
  const text = input.trim().replace(/^SRID=\d+;/i, "");
  const m = /^([A-Za-z]+)\s*(ZM|Z|M)?\s*(?=\(|EMPTY)/i.exec(text);
  const kind = m?.[1]?.toUpperCase();
  if (!m || !kind) {
    const word = /^[A-Za-z]+/.exec(text)?.[0];
    throw new AreaError(
      word
        ? `${word.toUpperCase()} is not an area: give POLYGON((…)), MULTIPOLYGON(((…))) or GeoJSON`
        : "not WKT or GeoJSON: expected POLYGON((lon lat, …)), MULTIPOLYGON(((…))) or a GeoJSON object",
    );
  }
  if (kind !== "POLYGON" && kind !== "MULTIPOLYGON")
    throw new AreaError(`a ${kind} has no area: give a POLYGON or a MULTIPOLYGON`);
  const rest = text.slice(m[0].length);
  if (/^EMPTY\s*$/i.test(rest)) throw new AreaError(`${kind} EMPTY has no area`);
  const dims = m[2] ? 2 + m[2].length : 2;
  const tokens = tokenize(rest);
  const at = { i: 0 };
  const tree = list(tokens, at);
  if (at.i < tokens.length) throw new AreaError(`unexpected '${tokens[at.i]}' after the closing ')'`);
  const depth = (n: Nested): number => (Array.isArray(n[0]) ? 1 + depth(n[0] as Nested) : 0);
  const want = kind === "POLYGON" ? 2 : 3;
  if (depth(tree) !== want)
    throw new AreaError(
      kind === "POLYGON"
        ? "POLYGON needs two levels of parentheses: POLYGON((lon lat, lon lat, …))"
        : "MULTIPOLYGON needs three levels of parentheses: MULTIPOLYGON(((lon lat, …)), ((…)))",
    );
  const polygons = (kind === "POLYGON" ? [tree] : tree) as unknown as Polygons;
  return { polygons, dims };
}

const num = (v: number) => String(Math.round(v * 1e5) / 1e5);

/** Polygons as WKT (five decimals: about a metre). */
export function toWkt(polygons: Polygons): string {
  const ring = (r: number[][]) => `(${r.map((p) => `${num(p[0]!)} ${num(p[1]!)}`).join(",")})`;
  const poly = (p: number[][][]) => `(${p.map(ring).join(",")})`;
  return polygons.length === 1
    ? `POLYGON${poly(polygons[0]!)}`
    : `MULTIPOLYGON(${polygons.map(poly).join(",")})`;
}
