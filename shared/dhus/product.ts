// A catalogue item seen as a DHuS product: its UUID, names, archive object, size, MD5 and footprints;
// and the lookup from a UUID back to the item.

import { timePartition, timeRange } from "../index/keys.ts";
import { collectionHash, parseProductUuid, productUuid } from "../index/product-uuid.ts";
import { type ItemSummary, summarize } from "../index/rows.ts";
import { assetMd5 } from "../products/assets.ts";
import { MEMBER_FIELD } from "../products/types.ts";
import { toWkt } from "../search/cql2/wkt.ts";
import type { Asset, Geometry, Position, StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import { fieldValue } from "./fields.ts";

export interface DhusProduct {
  uuid: string;
  item: StacItem;
  summary: ItemSummary;
  /** The identifier (item id), e.g. S2A_MSIL2A_…_20240501T124721. */
  name: string;
  /** The name DHuS gives the download, e.g. S2A_…_20240501T124721.zip. */
  downloadName: string;
  archive?: { bucket: string; key: string; size: number; md5?: string; zipped: boolean; type: string };
  /** The key the item was read from (StoredItem.source), which confines the objects it hands out. */
  source?: string | undefined;
}

/** The asset holding the whole product: an archive object, not a file inside one. */
function archiveAsset(item: StacItem): [string, Asset] | undefined {
  const whole = Object.entries(item.assets).filter(([, a]) => !a[MEMBER_FIELD] && /^s3:\/\//.test(a.href));
  return (
    whole.find(([k]) => k === "product") ??
    whole.find(([, a]) => a.type === "application/zip" || /\.zip$/i.test(a.href)) ??
    whole.find(([, a]) => a.roles?.includes("data"))
  );
}

export function toProduct(item: StacItem, summary: ItemSummary = summarize(item, "")): DhusProduct {
  const uuid = productUuid(summary.collection, summary.id, summary.datetime);
  const p: DhusProduct = { uuid, item, summary, name: item.id, downloadName: `${item.id}.zip` };
  const found = archiveAsset(item);
  if (!found) return p;
  const [, asset] = found;
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(asset.href)!;
  const key = m[2]!;
  const zipped = /\.zip$/i.test(key) || asset.type === "application/zip";
  p.archive = {
    bucket: m[1]!,
    key,
    size: typeof asset["file:size"] === "number" ? asset["file:size"] : 0,
    zipped,
    type: asset.type ?? "application/octet-stream",
  };
  // From an S3 ETag, or computed after ingest for multipart uploads (shared/ingest/product-md5.ts).
  const md5 = assetMd5(asset);
  if (md5) p.archive.md5 = md5;
  const base = key.split("/").pop() ?? key;
  p.downloadName = zipped ? `${item.id}.zip` : base;
  return p;
}

/** The SAFE/SEN3 folder name at the root of the archive. */
export const rootFolder = (p: DhusProduct): string => String(fieldValue("filename", p.summary));

/** The item a UUID names: one query of the time rows at the UUID's instant in matching collections. */
export async function findProduct(catalogue: Catalogue, uuid: string): Promise<DhusProduct | undefined> {
  const parsed = parseProductUuid(uuid);
  if (!parsed) return undefined;
  const collections = (await catalogue.listCollections()).filter(
    (c) => collectionHash(c.collection.id) === parsed.collectionHash,
  );
  for (const c of collections) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await catalogue.queryRows({
        pk: timePartition(c.collection.id),
        range: timeRange(parsed.datetime, parsed.datetime),
        ...(startKey ? { startKey } : {}),
      });
      for (const r of page.rows) {
        const s = r.summary;
        if (productUuid(s.collection, s.id, s.datetime) !== uuid.toLowerCase()) continue;
        const stored = await catalogue.getItem(s.collection, s.id);
        if (stored) return { ...toProduct(stored.item), source: stored.source };
      }
      startKey = page.next;
    } while (startKey);
  }
  return undefined;
}

export const wktFootprint = (g: Geometry | null): string | undefined => (g ? toWkt(g) : undefined);

/** DHuS's GML: the first polygon's outer ring, coordinates as "lat,lon" pairs. */
export function gmlFootprint(g: Geometry | null): string | undefined {
  const ring = outerRing(g);
  if (!ring) return undefined;
  const coords = ring.map((p) => `${p[1]},${p[0]}`).join(" ");
  return (
    '<gml:Polygon srsName="http://www.opengis.net/gml/srs/epsg.xml#4326" xmlns:gml="http://www.opengis.net/gml">\n' +
    "   <gml:outerBoundaryIs>\n      <gml:LinearRing>\n" +
    `         <gml:coordinates>${coords}</gml:coordinates>\n` +
    "      </gml:LinearRing>\n   </gml:outerBoundaryIs>\n</gml:Polygon>"
  );
}

function outerRing(g: Geometry | null): Position[] | undefined {
  if (!g) return undefined;
  if (g.type === "Polygon") return g.coordinates[0];
  if (g.type === "MultiPolygon") return g.coordinates[0]?.[0];
  if (g.type === "GeometryCollection") return g.geometries.map(outerRing).find((r) => r);
  return undefined;
}

/** "1.05 GB", "110.44 MB", "10.65 KB", as DHuS writes sizes. */
export function humanSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}
