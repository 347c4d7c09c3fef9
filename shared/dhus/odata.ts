// OData v1 JSON as DHuS wrote it: `{"d":{…}}`, dates as `/Date(ms)/`, sizes as strings.

import { productUrl } from "./feed.ts";
import { fieldValue } from "./fields.ts";
import { type DhusProduct, gmlFootprint, humanSize, wktFootprint } from "./product.ts";

const odataDate = (iso: string | number | undefined) =>
  iso === undefined ? null : `/Date(${Date.parse(String(iso))})/`;
const deferred = (uri: string) => ({ __deferred: { uri } });

export function productJson(base: string, p: DhusProduct, expandAttributes: boolean) {
  const url = productUrl(base, p.uuid);
  const s = p.summary;
  const d: Record<string, unknown> = {
    __metadata: {
      id: url,
      uri: url,
      type: "DHuS.Product",
      content_type: "application/octet-stream",
      media_src: `${url}/$value`,
      edit_media: `${url}/$value`,
    },
    Id: p.uuid,
    Name: p.name,
    ContentType: "application/octet-stream",
    ContentLength: String(p.archive?.size ?? 0),
    ChildrenNumber: "1",
    Value: null,
    CreationDate: odataDate(fieldValue("creationdate", s)),
    IngestionDate: odataDate(fieldValue("ingestiondate", s)),
    ModificationDate: odataDate(fieldValue("ingestiondate", s)),
    EvictionDate: null,
    Online: p.archive !== undefined,
    OnDemand: false,
    ContentDate: { __metadata: { type: "DHuS.TimeRange" }, Start: odataDate(s.start), End: odataDate(s.end) },
    Checksum: { __metadata: { type: "DHuS.Checksum" }, Algorithm: "MD5", Value: p.archive?.md5 ?? null },
    ContentGeometry: gmlFootprint(p.item.geometry) ?? null,
    Products: deferred(`${url}/Products`),
    Nodes: deferred(`${url}/Nodes`),
    Attributes: expandAttributes ? { results: attributes(base, p) } : deferred(`${url}/Attributes`),
    Class: deferred(`${url}/Class`),
  };
  return { d };
}

/** DHuS attribute names for our fields (the names sentinelsat's users know from `full=True`). */
const ATTRIBUTE_NAMES: [string, string, "product" | "summary"][] = [
  ["filename", "Filename", "summary"],
  ["identifier", "Identifier", "summary"],
  ["platformname", "Satellite", "summary"],
  ["platformname", "Mission type", "product"],
  ["platformserialidentifier", "Satellite name", "product"],
  ["instrumentshortname", "Instrument", "summary"],
  ["instrumentshortname", "Instrument abbreviation", "product"],
  ["sensoroperationalmode", "Sensing mode", "product"],
  ["polarisationmode", "Polarisation", "product"],
  ["producttype", "Product type", "product"],
  ["processinglevel", "Processing level", "product"],
  ["cloudcoverpercentage", "Cloud cover percentage", "product"],
  ["orbitdirection", "Pass direction", "product"],
  ["relativeorbitnumber", "Relative orbit (start)", "product"],
  ["orbitnumber", "Orbit number (start)", "product"],
  ["tileid", "Tile Identifier", "product"],
  ["swathidentifier", "Swath identifier", "product"],
  ["timeliness", "Timeliness Category", "product"],
  ["beginposition", "Date", "summary"],
  ["beginposition", "Sensing start", "product"],
  ["endposition", "Sensing stop", "product"],
  ["ingestiondate", "Ingestion Date", "product"],
  ["creationdate", "Creation Date", "product"],
];

export function attributes(base: string, p: DhusProduct) {
  const url = productUrl(base, p.uuid);
  const values: [string, string, string][] = [];
  for (const [field, name, category] of ATTRIBUTE_NAMES) {
    const v = fieldValue(field, p.summary);
    if (v === undefined) continue;
    const text =
      field.endsWith("position") || field.endsWith("date") ? new Date(String(v)).toISOString() : String(v);
    values.push([name, text, category]);
  }
  values.push(
    ["Size", humanSize(p.archive?.size ?? 0), "summary"],
    ["Format", p.archive?.zipped ? "SAFE" : "NetCDF", "product"],
  );
  const wkt = wktFootprint(p.item.geometry);
  const gml = gmlFootprint(p.item.geometry);
  if (gml) values.push(["Footprint", gml, "product"]);
  if (wkt) values.push(["JTS footprint", wkt, "product"]);
  values.push(["hexarchive collection", p.summary.collection, "product"]);
  return values.map(([name, value, category]) => ({
    __metadata: {
      id: `${url}/Attributes('${encodeURIComponent(name)}')`,
      uri: `${url}/Attributes('${encodeURIComponent(name)}')`,
      type: "DHuS.Attribute",
    },
    Id: name,
    Name: name,
    ContentType: "text/plain",
    ContentLength: String(Buffer.byteLength(value)),
    Value: value,
    Category: category,
  }));
}

export function nodeJson(url: string, name: string, size: number, children: number) {
  return {
    __metadata: {
      id: url,
      uri: url,
      type: "DHuS.Node",
      content_type: "application/octet-stream",
      media_src: `${url}/$value`,
      edit_media: `${url}/$value`,
    },
    Id: name,
    Name: name,
    ContentType: "application/octet-stream",
    ContentLength: String(size),
    ChildrenNumber: String(children),
    Value: null,
    Nodes: deferred(`${url}/Nodes`),
    Attributes: deferred(`${url}/Attributes`),
    Class: deferred(`${url}/Class`),
  };
}

/** The error body sentinelsat reads (`error.message.value`); routes add the `cause-message` header. */
export const odataError = (message: string) => ({
  error: { code: null, message: { lang: "en", value: message } },
});
