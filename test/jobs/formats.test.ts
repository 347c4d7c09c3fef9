// The export formats by name (stac-geoparquet's conversion in steps: geoparquet-convert.test.ts).
import { describe, expect, it } from "vitest";
import { EXPORT_FORMATS, exportFormat } from "../../shared/jobs/formats.ts";

describe("export formats", () => {
  it("name every format, and refuse others", () => {
    expect(Object.keys(EXPORT_FORMATS).sort()).toEqual(["geoparquet", "ndjson"]);
    expect(() => exportFormat("xlsx")).toThrow(/one of 'ndjson', 'geoparquet'/);
  });
});
