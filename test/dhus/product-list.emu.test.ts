// The DHuS facade's OData `Products` collection (what `hexarchive import --from-dhus` pages through):
// $skip/$top paging in ingestion order, $filter on name and dates, $orderby, $inlinecount, the
// attributes with $expand, and a refused $filter named rather than ignored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const DEMO = { headers: { authorization: `Basic ${Buffer.from("demo:demo-password").toString("base64")}` } };
const C = "list-s2";
const HIDDEN = "partner-data";
const NAMES = ["S2A_MSIL2A_A", "S2B_MSIL1C_B", "S2A_MSIL2A_C", "S1A_IW_GRDH_D", "S2B_MSIL2A_E"];

beforeAll(async () => {
  app = await startTestApp({
    access: parseAccessPolicy(
      JSON.stringify({ collections: { [HIDDEN]: { search: "group:partners", download: "group:partners" } } }),
    ),
  });
  const items = NAMES.map((id, i) =>
    makeItem({
      id,
      collection: C,
      datetime: `2024-05-0${i + 1}T10:00:00Z`,
      lon: 14 + i,
      lat: 50,
      // Ingested in the reverse order of sensing.
      properties: { created: `2024-06-0${9 - i}T00:00:00Z` },
    }),
  );
  await seed(app, [makeCollection(C, "S2", "test", [])], items);
  const hidden = makeItem({
    id: "S2A_MSIL2A_HIDDEN",
    collection: HIDDEN,
    datetime: "2024-05-01T10:00:00Z",
    lon: 14,
    lat: 50,
  });
  await seed(app, [makeCollection(HIDDEN, "Partners", "test", [])], [hidden]);
});
afterAll(() => app?.close());

const names = (body: { d: { results: { Name: string }[] } }) => body.d.results.map((p) => p.Name);
const list = (query: string) => app.get(`/dhus/odata/v1/Products?$format=json&${query}`, DEMO);

describe("DHuS OData Products", () => {
  it("pages with $skip and $top, oldest ingestion first, counting with $inlinecount", async () => {
    const byIngestion = [...NAMES].reverse();
    const first = await list("$top=2&$inlinecount=allpages");
    expect(first.status).toBe(200);
    expect(first.body.d.__count).toBe("5");
    expect(names(first.body)).toEqual(byIngestion.slice(0, 2));
    expect(names((await list("$skip=2&$top=2")).body)).toEqual(byIngestion.slice(2, 4));
    expect(names((await list("$skip=4&$top=2")).body)).toEqual(byIngestion.slice(4));
    expect(names((await list("$orderby=ContentDate/Start asc&$top=5")).body)).toEqual(NAMES);
  });

  it("filters by $filter on the name and the dates", async () => {
    const f = async (filter: string) =>
      names((await list(`$orderby=Name asc&$filter=${encodeURIComponent(filter)}`)).body);
    expect(await f("substringof('MSIL2A',Name)")).toEqual(["S2A_MSIL2A_A", "S2A_MSIL2A_C", "S2B_MSIL2A_E"]);
    expect(await f("startswith(Name,'S2B') or Name eq 'S1A_IW_GRDH_D'")).toEqual([
      "S1A_IW_GRDH_D",
      "S2B_MSIL1C_B",
      "S2B_MSIL2A_E",
    ]);
    expect(await f("ContentDate/Start ge datetime'2024-05-03T00:00:00' and not endswith(Name,'_E')")).toEqual(
      ["S1A_IW_GRDH_D", "S2A_MSIL2A_C"],
    );
    expect(await f("IngestionDate lt datetime'2024-06-07T00:00:00.000'")).toEqual([
      "S1A_IW_GRDH_D",
      "S2B_MSIL2A_E",
    ]);
  });

  it("gives each product's attributes with $expand, the JTS footprint among them", async () => {
    const r = await list("$top=1&$expand=Attributes");
    const attrs = r.body.d.results[0].Attributes.results as { Name: string; Value: string }[];
    expect(attrs.find((a) => a.Name === "JTS footprint")?.Value).toMatch(/^POLYGON/);
    expect(attrs.find((a) => a.Name === "hexarchive collection")?.Value).toBe(C);
  });

  it("lists only what the caller may search", async () => {
    const partner = {
      headers: { authorization: `Bearer ${app.issuer.tokenFor("pat", { groups: ["partners"] })}` },
    };
    const seenBy = async (who: typeof DEMO) =>
      names((await app.get("/dhus/odata/v1/Products?$format=json&$top=100", who)).body);
    expect(await seenBy(DEMO)).not.toContain("S2A_MSIL2A_HIDDEN");
    expect(await seenBy(partner)).toContain("S2A_MSIL2A_HIDDEN");
  });

  it("refuses what it cannot filter or page on, naming it", async () => {
    const bad = await list(`$filter=${encodeURIComponent("Online eq true")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message.value).toMatch(/cannot filter on 'Online'/);
    expect((await list("$top=101")).status).toBe(400);
    expect((await app.get("/dhus/odata/v1/Products?$format=json")).status).toBe(401);
  });
});
