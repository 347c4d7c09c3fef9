// Reads products of each kind the way ingest does (readProduct over ranged GETs) and measures what that
// costs: bytes read, S3 requests and the sequential rounds they came in, wall time, and how far RSS rises
// while reading. Products are served lazily from their plans (MemoryObjectStore.putLazy), so a 4.6 GB
// archive costs no memory to hold.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readProduct } from "../../shared/products/read-product.ts";
import { RoundTracker } from "../../shared/zip/request-rounds.ts";
import { MemoryObjectStore } from "../../test/support/memory-store.ts";
import { planUnequalLandsat } from "../../test/support/unequal-landsat.ts";
import { planEra5Month, scatteredBits } from "../synthetic/grib.ts";
import { type ProductSpec, planProduct } from "../synthetic/plan-product.ts";

export interface ReadFigures {
  kind: string;
  key: string;
  archiveBytes: number;
  requests: number;
  /** Sequential rounds of requests (see request-rounds.ts): the latency a read costs on S3. */
  rounds: number;
  bytesRead: number;
  p50Ms: number;
  maxMs: number;
  /** Highest RSS seen while reading, minus RSS just before (after a GC when --expose-gc is on). */
  peakRssDeltaBytes: number;
  collection: string;
}

export interface Skipped {
  kind: string;
  reason: string;
}

/** A product to read: planned lazily, or small bytes (sidecars, real fixture zips). */
export interface BenchProduct {
  kind: string;
  load(store: MemoryObjectStore): { key: string; size: number } | Promise<{ key: string; size: number }>;
}

const MiB = 1024 * 1024;

function synthetic(kind: string, spec: ProductSpec): BenchProduct {
  return {
    kind,
    load(store) {
      const a = planProduct({ ...spec, prefix: "bench/" });
      store.putLazy(a.key, a.size, a.read);
      return { key: a.key, size: a.size };
    },
  };
}

function era5(kind: string, options: Parameters<typeof planEra5Month>[0]): BenchProduct {
  return {
    kind,
    load(store) {
      const a = planEra5Month({ ...options, prefix: "bench/" });
      store.putLazy(a.key, a.size, a.read);
      return { key: a.key, size: a.size };
    },
  };
}

function landsatUnequal(kind: string): BenchProduct {
  return {
    kind,
    async load(store) {
      const a = await planUnequalLandsat(1e9, "bench/");
      store.putLazy(a.key, a.size, a.read);
      return { key: a.key, size: a.size };
    },
  };
}

export const FIXTURES = resolve(import.meta.dirname, "../../../shared/fixtures");

export function benchProducts(): { products: BenchProduct[]; skipped: Skipped[] } {
  const products: BenchProduct[] = [
    synthetic("S2 L1C zip, 800 MiB", { mission: "sentinel-2", level: "L1C", targetSize: 800 * MiB }),
    synthetic("S2 L2A zip, 1.1 GB", { mission: "sentinel-2", level: "L2A", targetSize: 1.1e9 }),
    synthetic("S1 IW GRD zip, 1.7 GB", { mission: "sentinel-1", productType: "GRD", targetSize: 1.7e9 }),
    synthetic("S1 IW SLC zip64, 4.6 GB", { mission: "sentinel-1", productType: "SLC", targetSize: 4.6e9 }),
    synthetic("S3 OLCI EFR zip, 600 MB", {
      mission: "sentinel-3",
      productType: "OL_1_EFR___",
      targetSize: 6e8,
    }),
    synthetic("Landsat C2 L2 tar, 1 GB", { mission: "landsat", targetSize: 1e9 }),
    landsatUnequal("Landsat tar, 1 GB, unequal bands, MTL mid-way"),
    era5("ERA5 GRIB1 month, 744 h × 2 params, Europe 0.25°", { edition: 1 }),
    era5("ERA5 GRIB2 month, 744 h, reduced Gaussian N320", {
      edition: 2,
      params: [{ param: 0, bitsPerValue: 16 }],
      grid: { type: "reduced_gg", n: 320 },
    }),
    // Worst case for prediction: fields packed with widths drawn at random, so lengths rarely repeat.
    era5("ERA5 GRIB1 month, 744 h × 2 params, random lengths", {
      edition: 1,
      bitsOf: (h, p) => scatteredBits(h * 2 + p),
    }),
    {
      kind: "STAC sidecar",
      load(store) {
        const key = "bench/scene-042.stac.json";
        store.put(key, JSON.stringify(sidecarItem()));
        return { key, size: store.info(key)!.size };
      },
    },
  ];
  const skipped: Skipped[] = [];
  const dir = join(FIXTURES, "sentinel-3");
  const zip = existsSync(dir) ? readdirSync(dir).find((n) => /^S3._SR_1_.*\.zip$/.test(n)) : undefined;
  if (zip) {
    const bytes = readFileSync(join(dir, zip));
    products.push({
      kind: "S3 SR_1 zip (real fixture)",
      load(store) {
        store.put(`bench/${zip}`, bytes);
        return { key: `bench/${zip}`, size: bytes.length };
      },
    });
  } else {
    skipped.push({
      kind: "S3 SR_1 zip (real fixture)",
      reason: existsSync(FIXTURES) ? `no S3?_SR_1_*.zip in ${dir}` : `${FIXTURES} is missing`,
    });
  }
  return { products, skipped };
}

export async function measureRead(product: BenchProduct, runs: number): Promise<ReadFigures> {
  const times: number[] = [];
  let peak = 0;
  let last:
    | { store: MemoryObjectStore; key: string; size: number; collection: string; rounds: number }
    | undefined;
  for (let run = -1; run < runs; run++) {
    const store = new MemoryObjectStore("bench");
    const { key, size } = await product.load(store);
    const object = store.info(key)!;
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage.rss();
    let high = base;
    const sample = () => {
      high = Math.max(high, process.memoryUsage.rss());
    };
    // Sample on every request as well as on a timer: the read is a short chain of awaits.
    const inner = store.getRange.bind(store);
    const rounds = new RoundTracker();
    store.getRange = async (k, s, e) => {
      const bytes = await rounds.track(() => inner(k, s, e));
      sample();
      return bytes;
    };
    const timer = setInterval(sample, 2);
    const t0 = performance.now();
    const outcome = await readProduct({ store, object });
    const ms = performance.now() - t0;
    sample();
    clearInterval(timer);
    if (outcome.kind !== "item") throw new Error(`${product.kind}: not read (${outcome.reason})`);
    if (run < 0) continue; // warm-up
    times.push(ms);
    peak = Math.max(peak, high - base);
    last = { store, key, size, collection: outcome.item.collection ?? "", rounds: rounds.stats.rounds };
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    kind: product.kind,
    key: last!.key,
    archiveBytes: last!.size,
    requests: last!.store.stats.requests,
    rounds: last!.rounds,
    bytesRead: last!.store.stats.bytes,
    p50Ms: sorted[Math.floor(sorted.length / 2)]!,
    maxMs: sorted.at(-1)!,
    peakRssDeltaBytes: peak,
    collection: last!.collection,
  };
}

function sidecarItem() {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: "scene-042",
    collection: "drone-orthophotos",
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [14.41, 50.07],
          [14.45, 50.07],
          [14.45, 50.09],
          [14.41, 50.09],
          [14.41, 50.07],
        ],
      ],
    },
    bbox: [14.41, 50.07, 14.45, 50.09],
    properties: { datetime: "2024-05-14T09:30:00Z", gsd: 0.05 },
    links: [],
    assets: { image: { href: "./scene-042.tif", type: "image/tiff; application=geotiff", roles: ["data"] } },
  };
}
