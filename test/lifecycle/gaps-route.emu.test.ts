// The gap report through the operators' API: products indexed here against an upstream list with extras
// and omissions, counted per day and tile; bad input named, non-operators refused.
import { latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildItemRows } from "../../shared/index/rows.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
const OPERATOR = basic("operator", "operator-password");
const DEMO = basic("demo", "demo-password");
const C = "gaps-s2";
const name = (day: string, tile: string) =>
  `S2B_MSIL2A_${day.replaceAll("-", "")}T100031_N0510_R122_${tile}_20240601T000000`;

const INDEXED = [name("2024-05-01", "T33UWR"), name("2024-05-02", "T33UWR"), name("2024-05-02", "T33UXR")];
const square = (lon: number, lat: number) => ({
  type: "Polygon",
  coordinates: [
    [
      [lon, lat],
      [lon + 1, lat],
      [lon + 1, lat + 1],
      [lon, lat + 1],
      [lon, lat],
    ],
  ],
});
const UPSTREAM = {
  value: [
    { Name: `${name("2024-05-01", "T33UWR")}.SAFE`, GeoFootprint: square(14, 50) },
    { Name: `${name("2024-05-01", "T33UVR")}.SAFE`, GeoFootprint: square(12, 50) },
    { Name: `${name("2024-05-02", "T33UWR")}.SAFE`, GeoFootprint: square(14, 50) },
    { Name: `${name("2024-06-01", "T33UWR")}.SAFE`, GeoFootprint: square(14, 50) },
  ],
};

const gaps = (body: unknown, auth = OPERATOR) =>
  app.get("/admin/gaps", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  app = await startTestApp();
  await app.catalogue.putCollection(makeCollection(C, "S2", "test", []));
  for (const id of INDEXED) {
    const item = makeItem({ id, collection: C, datetime: "2024-05-01T10:00:00Z", lon: 14, lat: 50 });
    const built = buildItemRows(item, "v1");
    await app.catalogue.putItem(item, built.rows, built.record, "v1");
    await app.catalogue.extendCollection(C, built.summary);
  }
});
afterAll(() => app?.close());

describe("POST /admin/gaps", () => {
  it("counts per day and tile what upstream has and this catalogue lacks, and the reverse", async () => {
    const r = await gaps({ collection: C, upstream: UPSTREAM, from: "2024-05-01", to: "2024-05-31" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ collection: C, upstream: 3, index: 3, resolution: 3 });
    expect(r.body.rows).toEqual([
      { day: "2024-05-01", tile: "T33UVR", upstream: 1, index: 0, missing: 1, onlyLocal: 0 },
      { day: "2024-05-01", tile: "T33UWR", upstream: 1, index: 1, missing: 0, onlyLocal: 0 },
      { day: "2024-05-02", tile: "T33UWR", upstream: 1, index: 1, missing: 0, onlyLocal: 0 },
      { day: "2024-05-02", tile: "T33UXR", upstream: 0, index: 1, missing: 0, onlyLocal: 1 },
    ]);
    expect(r.body.missing).toEqual([name("2024-05-01", "T33UVR")]);
    expect(r.body.onlyLocal).toEqual([name("2024-05-02", "T33UXR")]);
    expect(r.body.cells).toEqual([{ cell: latLngToCell(50.5, 12.5, 3), missing: 1 }]);
  });

  it("takes a plain list of names as text", async () => {
    const r = await gaps({ collection: C, upstream: `${name("2024-06-01", "T33UWR")}.SAFE\n` });
    expect(r.status).toBe(200);
    expect([r.body.upstream, r.body.index, r.body.missing.length, r.body.onlyLocal.length]).toEqual([
      1, 3, 1, 3,
    ]);
  });

  it("names the field at fault and refuses non-operators", async () => {
    expect((await app.post("/admin/gaps", { collection: C, upstream: [] })).status).toBe(401);
    expect((await gaps({ collection: C, upstream: [] }, DEMO)).status).toBe(403);
    const cases: [unknown, RegExp][] = [
      [{ upstream: [] }, /'collection' must be/],
      [{ collection: "nope", upstream: [] }, /'collection': no collection 'nope'/],
      [{ collection: C }, /'upstream' must be/],
      [{ collection: C, upstream: { value: [{ Id: "x" }] } }, /'upstream': value\[0\] has no Name/],
      [{ collection: C, upstream: [], from: "May" }, /'from' must be a day/],
      [{ collection: C, upstream: [], from: "2024-06-01", to: "2024-05-01" }, /'from' .* is after 'to'/],
      [{ collection: C, upstream: [], extra: 1 }, /unknown field 'extra'/],
    ];
    for (const [body, message] of cases) {
      const r = await gaps(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.description).toMatch(message);
    }
  });
});
