// Reprocessed versions through the stack: two processing baselines of one Sentinel-2 tile uploaded one
// after the other are linked both ways; searches return the newer unless all versions are asked for,
// the older one's relinking is an `updated` change in the change log, and it is the latest again once
// the newer one is removed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { VERSION_EXTENSION } from "../../shared/products/versions.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DEFAULT_TIMING } from "../../shared/storage/dynamo-change-log.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
let reader: DynamoCatalogue;
beforeAll(async () => {
  stack = await startTestStack();
  reader = new DynamoCatalogue(stack.doc, stack.endpoints.dynamodb.table, {
    changeTiming: { ...DEFAULT_TIMING, settleMs: 50 },
  });
});
afterAll(() => stack?.close());

type Link = { rel: string; href: string };
const hrefOf = (item: { links: Link[] }, rel: string) => item.links.find((l) => l.rel === rel)?.href;
const ids = (body: { features: { id: string }[] }) => body.features.map((f) => f.id).sort();

describe("reprocessed versions", () => {
  it("links two baselines of one tile, searches the newer by default and both on request", async () => {
    const at = { tile: "34UDC", datetime: "2023-09-03T09:40:31.024Z" };
    const older = generateSentinel2Product({ ...at, baseline: "04.00" });
    const newer = generateSentinel2Product({ ...at, baseline: "05.10" });
    const other = generateSentinel2Product({ ...at, tile: "34UEC" });
    expect(older.name).not.toBe(newer.name);
    const since = new Date().toISOString();
    await stack.upload(older.key, older.bytes, "application/zip");
    await stack.upload(other.key, other.bytes, "application/zip");
    await stack.upload(newer.key, newer.bytes, "application/zip");

    const items = "/collections/sentinel-2-l2a/items";
    const o = (await stack.get(`${items}/${older.name}`)).body;
    const n = (await stack.get(`${items}/${newer.name}`)).body;
    const url = (id: string) => `${stack.api}${items}/${id}`;
    expect(o.properties.deprecated).toBe(true);
    expect(n.properties.deprecated).toBe(false);
    expect(hrefOf(o, "successor-version")).toBe(url(newer.name));
    expect(hrefOf(o, "latest-version")).toBe(url(newer.name));
    expect(hrefOf(n, "predecessor-version")).toBe(url(older.name));
    expect(hrefOf(n, "latest-version")).toBeUndefined();
    expect(o.stac_extensions).toContain(VERSION_EXTENSION);
    expect(n.stac_extensions).toContain(VERSION_EXTENSION);
    // Another tile of the same datatake is another product, not a version.
    const t = (await stack.get(`${items}/${other.name}`)).body;
    expect(t.properties.deprecated).toBeUndefined();
    expect(t.links.map((l: Link) => l.rel)).not.toContain("latest-version");

    const q = "datetime=2023-09-03T00:00:00Z/2023-09-04T00:00:00Z&collections=sentinel-2-l2a";
    const latest = (await stack.get(`/search?${q}`)).body;
    expect(ids(latest)).toEqual([newer.name, other.name].sort());
    expect(latest.numberMatched).toBe(2);
    const all = (await stack.get(`/search?${q}&versions=all`)).body;
    expect(ids(all)).toEqual([older.name, newer.name, other.name].sort());
    const superseded = (await stack.get(`/search?${q}&filter=deprecated=true`)).body;
    expect(ids(superseded)).toEqual([older.name]);
    const byId = (await stack.get(`/search?ids=${older.name}`)).body;
    expect(ids(byId)).toEqual([older.name]);
    expect((await stack.get(`/search?${q}&versions=some`)).status).toBe(400);

    // The older version's relinking went through the normal write: an `updated` change.
    await new Promise((r) => setTimeout(r, 100));
    const changes = (await reader.readChanges({ since, collection: "sentinel-2-l2a", limit: 100 })).changes;
    expect(changes.filter((c) => c.id === older.name).map((c) => c.kind)).toEqual(["created", "updated"]);

    // The newer one removed from the bucket: the older is the latest again, without version links.
    await stack.remove(newer.key);
    const back = (await stack.get(`${items}/${older.name}`)).body;
    expect(back.properties.deprecated).toBeUndefined();
    expect(back.links.map((l: Link) => l.rel)).not.toContain("latest-version");
    expect(ids((await stack.get(`/search?${q}`)).body)).toEqual([older.name, other.name].sort());
  });
});
