// One DHuS OData product (`odata/v1/Products` with `$expand=Attributes`) as a STAC item: its footprint
// (the WKT "JTS footprint", else the GML ContentGeometry), sensing times, platform, product type, size,
// MD5 and, as the `product` asset, where the product is downloaded (`…/Products('uuid')/$value`).
import type { FoundItem } from "../../search-query.ts";
import { gmlFootprint, type ReadFootprint, wktFootprint } from "./footprint.ts";

export interface DhusProductJson {
  __metadata?: { media_src?: string; uri?: string };
  Id: string;
  Name: string;
  ContentType?: string;
  ContentLength?: string | number;
  IngestionDate?: string | null;
  CreationDate?: string | null;
  ContentDate?: { Start?: string | null; End?: string | null };
  Checksum?: { Algorithm?: string; Value?: string | null };
  ContentGeometry?: string | null;
  Attributes?: { results?: { Name: string; Value: string }[] };
}

const FILE_EXT = "https://stac-extensions.github.io/file/v2.1.0/schema.json";
const PRODUCT_EXT = "https://stac-extensions.github.io/product/v1.0.0/schema.json";
const EO_EXT = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
const AUTH_EXT = "https://stac-extensions.github.io/authentication/v1.1.0/schema.json";

/** `/Date(1474509300563)/` (OData v2 JSON) or an ISO string → ISO 8601. */
export function odataDate(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  const m = /^\/Date\((-?\d+)(?:[+-]\d+)?\)\/$/.exec(v);
  const t = m ? Number(m[1]) : Date.parse(/T/.test(v) && !/(Z|[+-]\d\d:?\d\d)$/.test(v) ? `${v}Z` : v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Sentinel names: S1A_…, S2B_…, S3A_…, S5P_… → platform and constellation as STAC writes them. */
function platformOf(name: string, attr: (n: string) => string | undefined) {
  const m = /^S([1-6])([A-D]|P)_/i.exec(name);
  if (m) {
    const constellation = `sentinel-${m[1]}`;
    return {
      constellation,
      platform: m[2]!.toUpperCase() === "P" ? `sentinel-${m[1]}p` : `${constellation}${m[2]!.toLowerCase()}`,
    };
  }
  const sat = attr("Satellite name") ?? attr("Satellite") ?? attr("Mission type");
  return sat ? { platform: sat.toLowerCase().replace(/\s+/g, "-") } : {};
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

export interface DhusItemOptions {
  /** Where every product goes; without it, where the hub says (a hexarchive's "hexarchive collection"). */
  collection?: string | undefined;
  /** The `$value` link needs the source's credentials: mark the asset (STAC Authentication). */
  auth?: { description: string } | undefined;
  /** The hub's base, to build the `$value` link when the product has no `media_src`. */
  base: string;
}

/** The collection a product goes into: the option, the hub's own word, or platform and type. */
export function dhusCollection(p: DhusProductJson, o: Pick<DhusItemOptions, "collection">): string {
  if (o.collection) return o.collection;
  const attr = attributeReader(p);
  const own = attr("hexarchive collection");
  if (own) return own;
  const { constellation, platform } = platformOf(p.Name, attr);
  return slug(`${constellation ?? platform ?? "dhus"} ${attr("Product type") ?? "products"}`);
}

function attributeReader(p: DhusProductJson) {
  const attrs = new Map((p.Attributes?.results ?? []).map((a) => [a.Name.toLowerCase(), a.Value]));
  return (name: string) => attrs.get(name.toLowerCase()) || undefined;
}

/** Throws an Error (with the reason) when the product has no footprint that can be read. */
export function dhusItem(p: DhusProductJson, o: DhusItemOptions): FoundItem {
  const attr = attributeReader(p);
  const fp = productFootprint(p, attr);
  // DHuS's sensing attributes agree with the product name; its ContentDate has been seen to differ.
  const start = odataDate(attr("Sensing start")) ?? odataDate(p.ContentDate?.Start);
  const end = odataDate(attr("Sensing stop")) ?? odataDate(p.ContentDate?.End);
  if (!start) throw new Error("no sensing time (ContentDate/Start)");
  const properties: Record<string, unknown> = { datetime: start };
  if (end && end !== start) Object.assign(properties, { start_datetime: start, end_datetime: end });
  Object.assign(properties, platformOf(p.Name, attr));
  const instrument = attr("Instrument abbreviation") ?? attr("Instrument");
  if (instrument) properties["instruments"] = [instrument.toLowerCase()];
  const extensions = [FILE_EXT];
  const type = attr("Product type");
  if (type) {
    properties["product:type"] = type;
    extensions.push(PRODUCT_EXT);
  }
  const cloud = Number(attr("Cloud cover percentage") ?? attr("Cloud Cover Percentage (%)"));
  if (attr("Cloud cover percentage") ?? attr("Cloud Cover Percentage (%)")) {
    if (Number.isFinite(cloud) && cloud >= 0 && cloud <= 100) {
      properties["eo:cloud_cover"] = cloud;
      extensions.push(EO_EXT);
    }
  }
  const ingested = odataDate(p.IngestionDate);
  if (ingested) properties["dhus:ingestion_date"] = ingested;
  properties["dhus:uuid"] = p.Id;
  const href =
    p.__metadata?.media_src ??
    `${o.base}/odata/v1/Products('${encodeURIComponent(p.Id).replace(/'/g, "''")}')/$value`;
  const asset: Record<string, unknown> = {
    href,
    type: /^S\d/i.test(p.Name) ? "application/zip" : (p.ContentType ?? "application/octet-stream"),
    roles: ["data"],
    title: `${p.Name} (DHuS)`,
  };
  const size = Number(p.ContentLength);
  if (Number.isInteger(size) && size > 0) asset["file:size"] = size;
  const md5 = p.Checksum?.Value;
  if (md5 && /^md5$/i.test(p.Checksum?.Algorithm ?? "") && /^[0-9a-f]{32}$/i.test(md5))
    asset["file:checksum"] = `d50110${md5.toLowerCase()}`;
  if (o.auth) {
    asset["auth:refs"] = ["dhus"];
    properties["auth:schemes"] = { dhus: { type: "http", scheme: "basic", description: o.auth.description } };
    extensions.push(AUTH_EXT);
  }
  return {
    type: "Feature",
    stac_version: "1.1.0",
    stac_extensions: extensions,
    id: p.Name,
    collection: dhusCollection(p, o),
    geometry: fp.geometry,
    bbox: fp.bbox,
    properties,
    assets: { product: asset as FoundItem["assets"][string] },
    links: [],
  };
}

function productFootprint(p: DhusProductJson, attr: (n: string) => string | undefined): ReadFootprint {
  const problems: string[] = [];
  for (const [text, read] of [
    [attr("JTS footprint"), wktFootprint],
    [p.ContentGeometry, gmlFootprint],
    [attr("Footprint"), gmlFootprint],
  ] as const) {
    if (!text) continue;
    try {
      return read(text);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  throw new Error(problems.length ? `footprint: ${problems.join("; ")}` : "no footprint");
}
