// Deterministic synthetic Landsat Collection 2 Level-2 scenes as USGS delivers them: one flat tar with
// the MTL (json, xml, txt), the ANG file and band GeoTIFF placeholders (large and sparse when asked).
import {
  type ArchiveOptions,
  box,
  pad,
  type Ring,
  round,
  type SyntheticArchive,
  shareOf,
  toDate,
} from "./common.ts";
import { type MtlField, type MtlGroup, mtlJson, mtlText, mtlXml } from "./landsat-mtl.ts";
import { planTar, readTarRange, type TarInput } from "./tar-plan.ts";

export interface LandsatOptions extends ArchiveOptions {
  spacecraft?: "LANDSAT_8" | "LANDSAT_9";
  /** L2SP: surface reflectance and temperature; L2SR: reflectance only. */
  level?: "L2SP" | "L2SR";
  path?: number;
  row?: number;
  /** Scene centre time (UTC). */
  datetime?: string | Date;
  processedOn?: string;
  category?: "T1" | "T2" | "RT";
  cloudCover?: number;
  cloudCoverLand?: number;
  /** Product corners [lon, lat] in MTL order UL, UR, LR, LL; default a 185 km scene over Czechia. */
  footprint?: Ring;
  sunAzimuth?: number;
  sunElevation?: number;
  /** Which MTL forms the scene carries (all three by default, as USGS bundles them). */
  mtlForms?: ("json" | "xml" | "txt")[];
}

const SR_BANDS = ["SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7", "SR_QA_AEROSOL"];
const ST_BANDS = [
  "ST_B10",
  "ST_TRAD",
  "ST_URAD",
  "ST_DRAD",
  "ST_ATRAN",
  "ST_EMIS",
  "ST_EMSD",
  "ST_CDIST",
  "ST_QA",
];
const QA_BANDS = ["QA_PIXEL", "QA_RADSAT"];

export function planLandsatScene(o: LandsatOptions = {}): SyntheticArchive & { bands: string[] } {
  const sat = o.spacecraft ?? "LANDSAT_9";
  const level = o.level ?? "L2SP";
  const path = o.path ?? 190;
  const row = o.row ?? 25;
  const when = toDate(o.datetime, "2024-05-14T09:47:12.4473180Z");
  const processed = o.processedOn ?? new Date(when.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
  const category = o.category ?? "T1";
  const ymd = (d: string) => d.replace(/-/g, "");
  const date = when.toISOString().slice(0, 10);
  const id = `LC0${sat.slice(-1)}_${level}_${pad(path, 3)}${pad(row, 3)}_${ymd(date)}_${ymd(processed)}_02_${category}`;
  const doy = Math.floor(
    (Date.UTC(when.getUTCFullYear(), when.getUTCMonth(), when.getUTCDate()) -
      Date.UTC(when.getUTCFullYear(), 0, 0)) /
      86_400_000,
  );
  const sceneId = `LC${sat.slice(-1)}${pad(path, 3)}${pad(row, 3)}${when.getUTCFullYear()}${pad(doy, 3)}LGN00`;
  const corners = o.footprint ?? box(13.24, 49.31, 15.93, 51.04);
  const [ul, ur, lr, ll] = o.footprint
    ? [corners[0]!, corners[1]!, corners[2]!, corners[3]!]
    : [corners[3]!, corners[2]!, corners[1]!, corners[0]!];
  const centreLon = (ul[0] + lr[0] + (Math.abs(ul[0] - lr[0]) > 180 ? 360 : 0)) / 2;
  const zone = Math.floor(((((centreLon + 180) % 360) + 360) % 360) / 6) + 1;
  const bands = [...SR_BANDS, ...(level === "L2SP" ? ST_BANDS : []), ...QA_BANDS];
  const file = (suffix: string) => `${id}_${suffix}`;
  const q = (k: string, v: string): MtlField => [k, v, true];
  const u = (k: string, v: string | number): MtlField => [k, String(v), false];
  const seconds = when.toISOString().slice(11, 19);
  const micros = `${when.toISOString().slice(20, 23)}0000`;
  const groups: MtlGroup[] = [
    [
      "PRODUCT_CONTENTS",
      [
        q("ORIGIN", "Image courtesy of the U.S. Geological Survey"),
        q("DIGITAL_OBJECT_IDENTIFIER", "https://doi.org/10.5066/P9OGBGM6"),
        q("LANDSAT_PRODUCT_ID", id),
        q("PROCESSING_LEVEL", level),
        u("COLLECTION_NUMBER", "02"),
        q("COLLECTION_CATEGORY", category),
        q("OUTPUT_FORMAT", "GEOTIFF"),
        ...bands.map((b) =>
          q(`FILE_NAME_${b.replace(/^SR_B/, "BAND_").replace(/^ST_B10/, "BAND_ST_B10")}`, file(`${b}.TIF`)),
        ),
        q("FILE_NAME_ANGLE_COEFFICIENT", file("ANG.txt")),
        q("FILE_NAME_METADATA_ODL", file("MTL.txt")),
        q("FILE_NAME_METADATA_XML", file("MTL.xml")),
      ],
    ],
    [
      "IMAGE_ATTRIBUTES",
      [
        q("SPACECRAFT_ID", sat),
        q("SENSOR_ID", "OLI_TIRS"),
        u("WRS_TYPE", 2),
        u("WRS_PATH", path),
        u("WRS_ROW", row),
        q("NADIR_OFFNADIR", "NADIR"),
        u("TARGET_WRS_PATH", path),
        u("TARGET_WRS_ROW", row),
        u("DATE_ACQUIRED", date),
        q("SCENE_CENTER_TIME", `${seconds}.${micros}Z`),
        q("STATION_ID", "LGN"),
        u("CLOUD_COVER", (o.cloudCover ?? 18.37).toFixed(2)),
        u("CLOUD_COVER_LAND", (o.cloudCoverLand ?? o.cloudCover ?? 19.02).toFixed(2)),
        u("IMAGE_QUALITY_OLI", 9),
        u("IMAGE_QUALITY_TIRS", 9),
        u("ROLL_ANGLE", "-0.001"),
        u("SUN_AZIMUTH", (o.sunAzimuth ?? 148.31742911).toFixed(8)),
        u("SUN_ELEVATION", (o.sunElevation ?? 54.90386274).toFixed(8)),
        u("EARTH_SUN_DISTANCE", "1.0105922"),
      ],
    ],
    [
      "PROJECTION_ATTRIBUTES",
      [
        q("MAP_PROJECTION", "UTM"),
        q("DATUM", "WGS84"),
        q("ELLIPSOID", "WGS84"),
        u("UTM_ZONE", zone),
        u("GRID_CELL_SIZE_REFLECTIVE", "30.00"),
        u("GRID_CELL_SIZE_THERMAL", "30.00"),
        u("REFLECTIVE_LINES", 7_801),
        u("REFLECTIVE_SAMPLES", 7_681),
        u("THERMAL_LINES", 7_801),
        u("THERMAL_SAMPLES", 7_681),
        q("ORIENTATION", "NORTH_UP"),
        ...(
          [
            ["UL", ul],
            ["UR", ur],
            ["LL", ll],
            ["LR", lr],
          ] as const
        ).flatMap(([c, p]) => [
          u(`CORNER_${c}_LAT_PRODUCT`, round(p[1], 5).toFixed(5)),
          u(`CORNER_${c}_LON_PRODUCT`, round(p[0], 5).toFixed(5)),
        ]),
      ],
    ],
    [
      "LEVEL2_PROCESSING_RECORD",
      [
        q("ORIGIN", "Image courtesy of the U.S. Geological Survey"),
        q("DIGITAL_OBJECT_IDENTIFIER", "https://doi.org/10.5066/P9OGBGM6"),
        q("REQUEST_ID", "L2"),
        q("LANDSAT_PRODUCT_ID", id),
        q("PROCESSING_LEVEL", level),
        q("OUTPUT_FORMAT", "GEOTIFF"),
        q("DATE_PRODUCT_GENERATED", `${processed}T07:12:41Z`),
        q("PROCESSING_SOFTWARE_VERSION", "LPGS_16.4.0"),
        q("ALGORITHM_SOURCE_SURFACE_REFLECTANCE", "LaSRC_1.6.0"),
        ...(level === "L2SP" ? [q("ALGORITHM_SOURCE_SURFACE_TEMPERATURE", "st_1.5.0")] : []),
      ],
    ],
    [
      "LEVEL1_PROCESSING_RECORD",
      [
        q("ORIGIN", "Image courtesy of the U.S. Geological Survey"),
        q("LANDSAT_SCENE_ID", sceneId),
        q("LANDSAT_PRODUCT_ID", id.replace(level, "L1TP")),
        q("PROCESSING_LEVEL", "L1TP"),
        q("COLLECTION_CATEGORY", category),
        q("DATE_PRODUCT_GENERATED", `${processed}T06:58:10Z`),
        q("PROCESSING_SOFTWARE_VERSION", "LPGS_16.4.0"),
      ],
    ],
  ];
  const forms = o.mtlForms ?? ["json", "txt", "xml"];
  const writers = { json: mtlJson, txt: mtlText, xml: mtlXml };
  const bandSize = shareOf(o.targetSize, bands.length, 1024);
  // ANG and MTL first: USGS tars are sorted by name, which puts ANG/MTL ahead of most bands only by luck;
  // we keep metadata first so that the figures measure the reader, not the packing.
  const inputs: TarInput[] = [
    { name: file("ANG.txt"), data: angFile(id) },
    ...forms.map((f) => ({ name: file(`MTL.${f}`), data: writers[f](groups) })),
    ...bands.map((b) => ({ name: file(`${b}.TIF`), zeros: bandSize })),
    { name: file("thumb_small.jpeg"), zeros: 12 * 1024 },
  ];
  const plan = planTar(inputs);
  return {
    key: `${o.prefix ?? ""}${id}.tar`,
    name: id,
    size: plan.size,
    contentType: "application/x-tar",
    bands,
    read: (start, end) => readTarRange(plan, start, end),
  };
}

function angFile(id: string): string {
  return `GROUP = FILE_HEADER\n  LANDSAT_SCENE_ID = "${id}"\n  SPACECRAFT_ID = "LANDSAT"\n  NUMBER_OF_BANDS = 11\nEND_GROUP = FILE_HEADER\nEND\n`;
}
