// Names, identifiers and geometry of a synthetic Sentinel-2 product, derived from a few options.

export interface Sentinel2Options {
  platform?: "S2A" | "S2B" | "S2C";
  level?: "L1C" | "L2A";
  /** Sensing start (UTC). */
  datetime?: string | Date;
  /** MGRS tile without the T, e.g. "31UDQ". */
  tile?: string;
  /** [lon, lat] ring (open); defaults to a ~1° square inside the tile's UTM zone and latitude band. */
  footprint?: [number, number][];
  cloudCover?: number;
  baseline?: string;
  relativeOrbit?: number;
  absoluteOrbit?: number;
  orbitDirection?: "ascending" | "descending";
  /** Key prefix in the bucket, e.g. "incoming/". */
  prefix?: string;
}

export interface S2Names {
  name: string;
  level: "L1C" | "L2A";
  platform: string;
  baseline: string;
  startIso: string;
  generationIso: string;
  tile: string;
  zone: number;
  epsg: number;
  ulx: number;
  uly: number;
  footprint: [number, number][];
  cloudCover: number;
  snow: number;
  relativeOrbit: number;
  absoluteOrbit: number;
  orbitDirection: string;
  datatakeId: string;
  datastripId: string;
  tileId: string;
  granule: string;
  imagePrefix: string;
}

const BANDS = "CDEFGHJKLMNPQRSTUVWX";
const compact = (d: Date) => d.toISOString().replace(/[-:]/g, "").slice(0, 15);

export function sentinel2Names(o: Sentinel2Options = {}): S2Names {
  const level = o.level ?? "L2A";
  const platform = o.platform ?? "S2A";
  const tile = o.tile ?? "31UDQ";
  const start = new Date(o.datetime ?? "2024-05-01T10:30:21.024Z");
  const generation = new Date(start.getTime() + 2 * 3600_000 + 17 * 60_000);
  const baseline = o.baseline ?? "05.10";
  const zone = Number(tile.slice(0, 2));
  const band = tile[2] ?? "U";
  const north = band >= "N";
  const latMin = -80 + 8 * Math.max(0, BANDS.indexOf(band));
  const lonMin = -180 + 6 * (zone - 1);
  const footprint = o.footprint ?? [
    [lonMin + 2.5, latMin + 3.5],
    [lonMin + 3.9, latMin + 3.5],
    [lonMin + 3.9, latMin + 4.5],
    [lonMin + 2.5, latMin + 4.5],
  ];
  const relativeOrbit = o.relativeOrbit ?? 51;
  const absoluteOrbit = o.absoluteOrbit ?? 46_123;
  const baseTag = baseline.replace(".", "");
  const s = compact(start);
  const g = compact(generation);
  const name = `${platform}_MSI${level}_${s}_N${baseTag}_R${String(relativeOrbit).padStart(3, "0")}_T${tile}_${g}`;
  const granule = `${level}_T${tile}_A${String(absoluteOrbit).padStart(6, "0")}_${s}`;
  return {
    name,
    level,
    platform,
    baseline,
    startIso: start.toISOString(),
    generationIso: `${generation.toISOString().slice(0, 19)}.000000Z`,
    tile,
    zone,
    epsg: (north ? 32600 : 32700) + zone,
    ulx: 399960,
    uly: north ? 5600040 : 8300020,
    footprint,
    cloudCover: o.cloudCover ?? 12.5,
    snow: 0.5,
    relativeOrbit,
    absoluteOrbit,
    orbitDirection: o.orbitDirection ?? "descending",
    datatakeId: `G${platform}_${s}_${String(absoluteOrbit).padStart(6, "0")}_N${baseline}`,
    datastripId: `${platform}_OPER_MSI_${level}_DS_2APS_${g}_S${s}_N${baseline}`,
    tileId: `${platform}_OPER_MSI_${level}_TL_2APS_${g}_A${String(absoluteOrbit).padStart(6, "0")}_T${tile}_N${baseline}`,
    granule,
    imagePrefix: `T${tile}_${s}`,
  };
}
