// The DHuS (Solr) search fields, read from an item's searchable properties. One table serves the
// query language, the sort order, the search entries and the OData attributes, so they cannot disagree.

import { productUuid } from "../index/product-uuid.ts";
import type { ItemSummary } from "../index/rows.ts";

export type FieldType = "str" | "int" | "double" | "date";

type Props = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

const MISSION_NAMES: Record<string, string> = {
  "sentinel-1": "Sentinel-1",
  "sentinel-2": "Sentinel-2",
  "sentinel-3": "Sentinel-3",
  "sentinel-5p": "Sentinel-5 Precursor",
  "sentinel-5 precursor": "Sentinel-5 Precursor",
};

/** Sentinel-3 timeliness codes as DHuS spells them out. */
const DHUS_TIMELINESS: Record<string, string> = {
  NR: "Near Real Time",
  ST: "Short Time Critical",
  NT: "Non Time Critical",
};

const INSTRUMENTS: Record<string, string> = { "c-sar": "SAR-C SAR", sar: "SAR-C SAR" };

const titleCase = (s: string) =>
  s.replace(/(^|[-\s])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());

/** "sentinel-2a" → "Sentinel-2A"; "landsat-8" → "Landsat-8". */
function serialName(p: Props): string | undefined {
  const platform = str(p["platform"]);
  return platform
    ? titleCase(platform.toLowerCase()).replace(
        /-(\d)([a-z]+)$/,
        (_m, d: string, s: string) => `-${d}${s.toUpperCase()}`,
      )
    : undefined;
}

function platformName(p: Props): string | undefined {
  const c =
    str(p["constellation"])?.toLowerCase() ??
    str(p["platform"])
      ?.toLowerCase()
      .replace(/^(sentinel-\d)[a-z]$/, "$1");
  if (!c) return undefined;
  return MISSION_NAMES[c] ?? titleCase(c);
}

function processingLevel(p: Props): string | undefined {
  const type = str(p["product:type"]) ?? "";
  const s2 = /^S2MSI(1C|2A)$/.exec(type);
  if (s2) return `Level-${s2[1]}`;
  const level = str(p["processing:level"]);
  if (level) return /^L\d/.test(level) ? `Level-${level.slice(1)}` : level;
  const s3 = /^\w\w_(\d)_/.exec(type);
  return s3 ? `${s3[1]}` : undefined;
}

function fileName(s: ItemSummary): string {
  const p = s.properties;
  const known = str(p["s2:product_uri"]) ?? str(p["s3:product_name"]);
  if (known) return known;
  const mission = platformName(p);
  const ext = mission === "Sentinel-3" ? ".SEN3" : mission === "Sentinel-5 Precursor" ? ".nc" : ".SAFE";
  return `${s.id}${ext}`;
}

/** Ingest time: the item's own record of it when it has one, else the product's generation time. */
function ingestionDate(s: ItemSummary): string {
  const p = s.properties;
  return str(p["created"]) ?? str(p["updated"]) ?? creationDate(s);
}

function creationDate(s: ItemSummary): string {
  const p = s.properties;
  return str(p["s2:generation_time"]) ?? str(p["processing:datetime"]) ?? str(p["created"]) ?? s.end;
}

interface FieldDef {
  type: FieldType;
  get(s: ItemSummary): string | number | undefined;
}

const P = (f: (p: Props) => unknown, type: FieldType = "str"): FieldDef => ({
  type,
  get: (s) => {
    const v = f(s.properties);
    return typeof v === "number" || typeof v === "string" ? v : undefined;
  },
});

export const FIELDS: Record<string, FieldDef> = {
  platformname: P(platformName),
  producttype: P((p) => str(p["product:type"]) ?? str(p["sar:product_type"]) ?? str(p["s2:product_type"])),
  instrumentshortname: P((p) => {
    const i = str(first(p["instruments"]));
    return i ? (INSTRUMENTS[i.toLowerCase()] ?? i.toUpperCase()) : undefined;
  }),
  sensoroperationalmode: P((p) => str(p["sar:instrument_mode"]) ?? str(p["s2:datatake_type"])),
  polarisationmode: P((p) =>
    Array.isArray(p["sar:polarizations"]) ? p["sar:polarizations"].join(" ") : undefined,
  ),
  orbitdirection: P((p) => str(p["sat:orbit_state"])?.toUpperCase()),
  relativeorbitnumber: P((p) => num(p["sat:relative_orbit"]), "int"),
  orbitnumber: P((p) => num(p["sat:absolute_orbit"]), "int"),
  cloudcoverpercentage: P((p) => num(p["eo:cloud_cover"]), "double"),
  identifier: { type: "str", get: (s) => s.id },
  uuid: { type: "str", get: (s) => productUuid(s.collection, s.id, s.datetime) },
  filename: { type: "str", get: fileName },
  processinglevel: P(processingLevel),
  platformserialidentifier: P(serialName),
  tileid: P((p) => str(p["grid:code"])?.replace(/^MGRS-/, "")),
  swathidentifier: P((p) => str(p["s1:swath"]) ?? str(p["sar:instrument_mode"])),
  timeliness: P((p) => {
    const category = str(p["product:timeliness_category"]);
    return (category && DHUS_TIMELINESS[category]) ?? category ?? str(p["s1:product_timeliness"]);
  }),
  beginposition: { type: "date", get: (s) => s.start },
  endposition: { type: "date", get: (s) => s.end },
  ingestiondate: { type: "date", get: ingestionDate },
  creationdate: { type: "date", get: creationDate },
};

export const isField = (name: string): boolean => Object.hasOwn(FIELDS, name.toLowerCase());

export function fieldValue(name: string, s: ItemSummary): string | number | undefined {
  return FIELDS[name.toLowerCase()]?.get(s);
}

/** All fields an item has, as DHuS writes them (dates ISO with milliseconds, numbers as given). */
export function fieldValues(s: ItemSummary): { name: string; type: FieldType; value: string | number }[] {
  const out: { name: string; type: FieldType; value: string | number }[] = [];
  for (const [name, def] of Object.entries(FIELDS)) {
    const value = def.get(s);
    if (value === undefined) continue;
    out.push({
      name,
      type: def.type,
      value: def.type === "date" ? new Date(String(value)).toISOString() : value,
    });
  }
  return out;
}
