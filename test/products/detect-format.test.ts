// Keys ingest must not take for products: the catalogue's own snapshots under _snapshots/ are skipped
// (not failures), while the same kind of file elsewhere is still an unknown product format.
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../shared/products/detect-format.ts";
import { SNAPSHOTS_PREFIX } from "../../shared/products/object-home.ts";

describe("detectFormat and the catalogue's own files", () => {
  it("skips monthly snapshots and their state, and still refuses a stray Parquet file", () => {
    expect(detectFormat(`${SNAPSHOTS_PREFIX}sentinel-2-l2a/2024-05.parquet`).kind).toBe("member");
    expect(detectFormat(`${SNAPSHOTS_PREFIX}state.json`).kind).toBe("member");
    expect(detectFormat("uploads/2024-05.parquet").kind).not.toBe("member");
  });
});
