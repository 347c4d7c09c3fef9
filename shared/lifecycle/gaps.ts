// Gap report: a collection's index held against an upstream product list (a saved CDSE OData Products
// result, a CSV or a plain list of names), per day and tile/relative orbit read from the product names,
// with the upstream-only products counted per H3 cell of their footprints; optionally the bucket's
// products (as the reconcile lists them) against the index too.
import { latLngToCell } from "h3-js";
import { BadRequestError } from "../errors.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { ObjectLedger } from "../storage/object-ledger.ts";
import type { ObjectInfo } from "../storage/object-store.ts";
import { itemIdOfName, parseUpstreamDeletions } from "./upstream-deletions.ts";

export interface UpstreamProduct {
  /** The product name without its container ending: the item id it stands for. */
  id: string;
  /** ContentDate.Start when the list gives it. */
  start?: string;
  /** [lon, lat] of the footprint's centre, when the list gives a footprint. */
  centre?: [number, number];
}

/** Where a product falls: its sensing day and its tile (S2) or relative orbit (S1, S3). */
export interface ProductSlot {
  day: string;
  tile: string;
}

export interface GapRow extends ProductSlot {
  upstream: number;
  index: number;
  /** Upstream, not in the index. */
  missing: number;
  /** In the index, not upstream. */
  onlyLocal: number;
  /** With a bucket listing: its products, those not indexed, and items whose product is not there. */
  bucket?: number;
  notIndexed?: number;
  notInBucket?: number;
}

export interface GapReport {
  collection: string;
  from?: string;
  to?: string;
  upstream: number;
  index: number;
  rows: GapRow[];
  missing: string[];
  onlyLocal: string[];
  bucket?: number;
  notIndexed?: string[];
  notInBucket?: string[];
  /** H3 cells (resolution `resolution`) of the missing products' footprint centres, with counts. */
  cells: { cell: string; missing: number }[];
  resolution: number;
}

export const GAP_CELL_RES = 3;

/** Sensing day and tile/relative orbit of a Sentinel-1/-2/-3 product name; "-" where the name says none. */
export function slotOfName(name: string, start?: string): ProductSlot {
  const id = itemIdOfName(name);
  const d = /_(\d{4})(\d{2})(\d{2})T\d{6}/.exec(id);
  const day = d
    ? `${d[1]}-${d[2]}-${d[3]}`
    : start && /^\d{4}-\d{2}-\d{2}/.test(start)
      ? start.slice(0, 10)
      : "-";
  return { day, tile: tileOfName(id) };
}

function tileOfName(id: string): string {
  const s2 = /^S2[A-D]_MSI.*_(T\d{2}[A-Z]{3})(_|$)/.exec(id);
  if (s2) return s2[1]!;
  // S1: absolute orbit (6 digits) after the stop time; relative orbit from each unit's orbit offset.
  const s1 = /^S1([AB])_.*_\d{8}T\d{6}_\d{8}T\d{6}_(\d{6})_/.exec(id);
  if (s1) {
    const abs = Number(s1[2]);
    const offset = s1[1] === "A" ? 73 : 27;
    return `R${String(((((abs - offset) % 175) + 175) % 175) + 1).padStart(3, "0")}`;
  }
  // S3: …_DDDD_CCC_OOO_FFFF_… (duration, cycle, relative orbit, frame) after the three times.
  const s3 = /^S3[AB]_.{11}_\d{8}T\d{6}_\d{8}T\d{6}_\d{8}T\d{6}_.{4}_\d{3}_(\d{3})_/.exec(id);
  if (s3) return `R${s3[1]}`;
  return "-";
}

/** A saved OData Products result (`{"value": [{Name, ContentDate, GeoFootprint|Footprint}]}`), a JSON
 *  array of names or objects, a CSV with a `name` column, or one name a line; a 400 naming the entry. */
export function parseUpstreamProducts(text: string, file = "upstream list"): UpstreamProduct[] {
  const t = text.replace(/^\uFEFF/, "").trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch (e) {
      throw new BadRequestError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    const entries = Array.isArray(doc) ? doc : (doc as { value?: unknown })?.value;
    if (!Array.isArray(entries))
      throw new BadRequestError(`${file}: expected CDSE's Products JSON, {"value": [ … ]}, or an array`);
    return entries.map((e, i) => {
      if (typeof e === "string" && e.trim() !== "") return { id: itemIdOfName(e) };
      const o = e as Record<string, unknown>;
      if (typeof o?.["Name"] !== "string" || o["Name"].trim() === "")
        throw new BadRequestError(`${file}: value[${i}] has no Name (the product name)`);
      const p: UpstreamProduct = { id: itemIdOfName(o["Name"]) };
      const start = (o["ContentDate"] as { Start?: unknown } | undefined)?.Start;
      if (typeof start === "string") p.start = start;
      const centre = centreOf(o["GeoFootprint"]) ?? centreOfWkt(o["Footprint"]);
      if (centre) p.centre = centre;
      return p;
    });
  }
  const first = t.split(/\r?\n/, 1)[0] ?? "";
  if (/[,;]/.test(first) || /^(name|identifier|product|title)$/i.test(first.trim()))
    return parseUpstreamDeletions(t, file).map((d) => ({ id: itemIdOfName(d.name) }));
  return t
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => ({ id: itemIdOfName(l) }));
}

function centreOfRing(ring: unknown): [number, number] | undefined {
  if (!Array.isArray(ring) || ring.length === 0) return undefined;
  const pts = ring.filter(
    (p): p is [number, number] => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]),
  );
  const open =
    pts.length > 1 && pts[0]![0] === pts.at(-1)![0] && pts[0]![1] === pts.at(-1)![1] ? pts.slice(0, -1) : pts;
  if (open.length === 0) return undefined;
  return [open.reduce((s, p) => s + p[0], 0) / open.length, open.reduce((s, p) => s + p[1], 0) / open.length];
}

function centreOf(g: unknown): [number, number] | undefined {
  const o = g as { type?: string; coordinates?: unknown[] } | undefined;
  if (o?.type === "Polygon") return centreOfRing(o.coordinates?.[0]);
  if (o?.type === "MultiPolygon") return centreOfRing((o.coordinates?.[0] as unknown[] | undefined)?.[0]);
  return undefined;
}

/** CDSE's `Footprint`: `geography'SRID=4326;POLYGON ((lon lat, …))'`. */
function centreOfWkt(w: unknown): [number, number] | undefined {
  if (typeof w !== "string") return undefined;
  const m = /POLYGON\s*\(\(+([^)]*)\)/i.exec(w);
  if (!m) return undefined;
  return centreOfRing(m[1]!.split(",").map((p) => p.trim().split(/\s+/).map(Number)));
}

/** Pure: the upstream list against the index's ids, within [from, to] (days, inclusive). */
export function gapReport(
  collection: string,
  upstream: UpstreamProduct[],
  indexIds: Iterable<string>,
  o: {
    from?: string | undefined;
    to?: string | undefined;
    resolution?: number;
    bucketIds?: Iterable<string> | undefined;
  } = {},
): GapReport {
  const within = (s: ProductSlot) =>
    (o.from === undefined || (s.day !== "-" && s.day >= o.from)) &&
    (o.to === undefined || (s.day !== "-" && s.day <= o.to));
  const up = new Map<string, UpstreamProduct & ProductSlot>();
  for (const p of upstream) {
    const s = slotOfName(p.id, p.start);
    if (within(s)) up.set(p.id, { ...p, ...s });
  }
  const local = new Map<string, ProductSlot>();
  for (const id of indexIds) {
    const s = slotOfName(id);
    if (within(s)) local.set(id, s);
  }
  const rows = new Map<string, GapRow>();
  const row = (s: ProductSlot) => {
    const k = `${s.day} ${s.tile}`;
    const r: GapRow = rows.get(k) ?? {
      day: s.day,
      tile: s.tile,
      upstream: 0,
      index: 0,
      missing: 0,
      onlyLocal: 0,
      ...(o.bucketIds ? { bucket: 0, notIndexed: 0, notInBucket: 0 } : {}),
    };
    rows.set(k, r);
    return r;
  };
  const resolution = o.resolution ?? GAP_CELL_RES;
  const missing: string[] = [];
  const cells = new Map<string, number>();
  for (const [id, p] of up) {
    const r = row(p);
    r.upstream++;
    if (local.has(id)) continue;
    r.missing++;
    missing.push(id);
    if (p.centre) {
      const c = latLngToCell(p.centre[1], p.centre[0], resolution);
      cells.set(c, (cells.get(c) ?? 0) + 1);
    }
  }
  const onlyLocal: string[] = [];
  for (const [id, s] of local) {
    const r = row(s);
    r.index++;
    if (!up.has(id)) {
      r.onlyLocal++;
      onlyLocal.push(id);
    }
  }
  const bucket = new Map<string, ProductSlot>();
  for (const id of o.bucketIds ?? []) {
    const s = slotOfName(id);
    if (within(s)) bucket.set(id, s);
  }
  const notIndexed: string[] = [];
  const notInBucket: string[] = [];
  if (o.bucketIds) {
    for (const [id, s] of bucket) {
      const r = row(s);
      r.bucket = (r.bucket ?? 0) + 1;
      if (!local.has(id)) {
        r.notIndexed = (r.notIndexed ?? 0) + 1;
        notIndexed.push(id);
      }
    }
    for (const [id, s] of local)
      if (!bucket.has(id)) {
        const r = row(s);
        r.notInBucket = (r.notInBucket ?? 0) + 1;
        notInBucket.push(id);
      }
  }
  return {
    collection,
    ...(o.from !== undefined ? { from: o.from } : {}),
    ...(o.to !== undefined ? { to: o.to } : {}),
    upstream: up.size,
    index: local.size,
    rows: [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.tile.localeCompare(b.tile)),
    missing: missing.sort(),
    onlyLocal: onlyLocal.sort(),
    cells: [...cells]
      .map(([cell, n]) => ({ cell, missing: n }))
      .sort((a, b) => b.missing - a.missing || a.cell.localeCompare(b.cell)),
    resolution,
    ...(o.bucketIds
      ? { bucket: bucket.size, notIndexed: notIndexed.sort(), notInBucket: notInBucket.sort() }
      : {}),
  };
}

/** `from`/`to` as YYYY-MM-DD days, or a 400 naming the field. */
export function dayOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new BadRequestError(`'${name}' must be a day, e.g. 2024-05-01, got '${value}'`);
  return value;
}

/** The bucket's products of a collection: objects the ledger says it indexed into it, and objects it
 *  has no collection for whose name is an item or an upstream product of it (others are not counted). */
export async function bucketIdsOf(
  bucket: { listObjects(): AsyncIterable<ObjectInfo[]>; ledger: Pick<ObjectLedger, "getObjectStates"> },
  collection: string,
  known: Set<string>,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of bucket.listObjects()) {
    const states = await bucket.ledger.getObjectStates(page.map((p) => p.key));
    for (const { key } of page) {
      const state = states.get(key);
      const id = state?.id ?? itemIdOfName(key.slice(key.lastIndexOf("/") + 1));
      if (state?.collection === collection || (state?.collection === undefined && known.has(id)))
        ids.push(id);
    }
  }
  return ids;
}

/** The adapter: reads the collection's item ids from the index (and the bucket, when given) and reports. */
export async function gapsOfCollection(
  catalogue: Pick<Catalogue, "listItemSources" | "getCollection">,
  collection: string,
  upstream: UpstreamProduct[],
  o: {
    from?: string | undefined;
    to?: string | undefined;
    bucket?: Parameters<typeof bucketIdsOf>[0] | undefined;
  } = {},
): Promise<GapReport> {
  if (!(await catalogue.getCollection(collection)))
    throw new BadRequestError(`'collection': no collection '${collection}' in this catalogue`);
  const ids: string[] = [];
  for await (const page of catalogue.listItemSources(collection)) for (const s of page) ids.push(s.id);
  const bucketIds = o.bucket
    ? await bucketIdsOf(o.bucket, collection, new Set([...ids, ...upstream.map((p) => p.id)]))
    : undefined;
  return gapReport(collection, upstream, ids, { from: o.from, to: o.to, bucketIds });
}

/** A table for the terminal. */
export function formatGapReport(r: GapReport): string {
  const lines = [
    `${r.collection}${r.from || r.to ? ` ${r.from ?? "…"} to ${r.to ?? "…"}` : ""}: ${r.upstream} upstream, ${r.index} in the index, ${r.missing.length} missing here, ${r.onlyLocal.length} only here`,
    "day         tile/orbit  upstream  index  missing  only-here",
  ];
  for (const x of r.rows)
    lines.push(
      `${x.day.padEnd(11)} ${x.tile.padEnd(11)} ${String(x.upstream).padStart(8)} ${String(x.index).padStart(6)} ${String(x.missing).padStart(8)} ${String(x.onlyLocal).padStart(10)}`,
    );
  for (const id of r.missing) lines.push(`  missing   ${id}`);
  for (const id of r.onlyLocal) lines.push(`  only here ${id}`);
  if (r.bucket !== undefined)
    lines.push(
      `bucket: ${r.bucket} products, ${r.notIndexed?.length} not indexed, ${r.notInBucket?.length} items without their product`,
    );
  for (const id of r.notIndexed ?? []) lines.push(`  not indexed ${id}`);
  for (const id of r.notInBucket ?? []) lines.push(`  not in the bucket ${id}`);
  for (const c of r.cells) lines.push(`  H3 ${c.cell} (res ${r.resolution}): ${c.missing} missing`);
  return lines.join("\n");
}
