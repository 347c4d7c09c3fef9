// Processing dates and vocabularies as the reference tools write them: processing:datetime from each
// product, Sentinel-3 timeliness as product v0.1.0 wants it, proj:epsg next to proj:code, and the DHuS
// facade's creation date and timeliness from those, not from the sensing time or a code.
import { describe, expect, it } from "vitest";
import { fieldValue } from "../../shared/dhus/fields.ts";
import type { ItemSummary } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { fixtureCases } from "../geo/fixture-items.ts";
import { HAVE_FIXTURES } from "./reference.ts";

const cases = fixtureCases();
const item = async (name: string): Promise<StacItem> => cases.find((c) => c.name.startsWith(name))!.read();

const summaryOf = (i: StacItem): ItemSummary => ({
  collection: i.collection!,
  id: i.id,
  datetime: String(i.properties["datetime"] ?? i.properties["start_datetime"]),
  start: String(i.properties["start_datetime"] ?? i.properties["datetime"]),
  end: String(i.properties["end_datetime"] ?? i.properties["datetime"]),
  geometry: i.geometry,
  bbox: null,
  properties: i.properties,
  version: "1",
});

describe.skipIf(!HAVE_FIXTURES)("processing dates, timeliness, proj:epsg", () => {
  it("Sentinel-1: processing:datetime is the product's processing stop time (stactools' s1:processing_datetime)", async () => {
    const s1 = await item("S1A_IW_GRDH_1SDV_20210809T173953");
    expect(s1.properties["processing:datetime"]).toBe("2021-08-09T20:19:58.000000Z");
    expect(fieldValue("creationdate", summaryOf(s1))).toBe("2021-08-09T20:19:58.000000Z");
    // The reference has proj:epsg 4326 (ground control points in WGS 84).
    expect(s1.properties["proj:epsg"]).toBe(4326);
    expect(s1.properties["proj:code"]).toBe("EPSG:4326");
  });

  it("Sentinel-3: creationTime, timeliness duration and category, DHuS wording", async () => {
    const nr = await item("S3A_OL_1_EFR____20211021T073827");
    expect(nr.properties["processing:datetime"]).toBe("2021-10-21T09:13:57Z");
    expect(nr.properties["product:timeliness"]).toBe("PT3H");
    expect(nr.properties["product:timeliness_category"]).toBe("NR");
    expect(fieldValue("timeliness", summaryOf(nr))).toBe("Near Real Time");
    expect(fieldValue("creationdate", summaryOf(nr))).toBe("2021-10-21T09:13:57Z");
    const nt = await item("S3A_SL_1_RBT____20210930T220914");
    expect(nt.properties["product:timeliness"]).toBe("P1M");
    expect(fieldValue("timeliness", summaryOf(nt))).toBe("Non Time Critical");
    const st = await item("S3A_SY_2_SYN____20210325T005418");
    expect(fieldValue("timeliness", summaryOf(st))).toBe("Short Time Critical");
  });

  it("Sentinel-2: proj:epsg next to proj:code; processing:datetime is GENERATION_TIME", async () => {
    const s2 = await item("S2A_MSIL1C_20200717T221941");
    expect(s2.properties["proj:code"]).toBe("EPSG:32701");
    expect(s2.properties["proj:epsg"]).toBe(32701);
    expect(s2.properties["processing:datetime"]).toBe("2020-07-17T23:41:35.000000Z");
  });

  it("Landsat: landsat:wrs_type, proj:epsg, processing:datetime", async () => {
    const l8 = await item("LC08_L2SP_047027_20201204_20210313_02_T1");
    expect(l8.properties["landsat:wrs_type"]).toBe("2");
    expect(l8.properties["proj:epsg"]).toBe(32610);
    expect(l8.properties["processing:datetime"]).toBe("2021-03-13T05:55:12Z");
  });

  it("Sentinel-5P: processing:datetime is the production time in the file's id attribute", async () => {
    const s5p = await item("S5P_OFFL_L2__NO2____20200303T013547");
    expect(s5p.properties["processing:datetime"]).toBe("2020-03-06T05:38:15Z");
  });
});
