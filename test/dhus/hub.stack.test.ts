// The hub's wire shapes over HTTP on the local stack: what sentinelsat and hand-written DHuS scripts
// depend on beyond what the client test exercises.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { UUID_PROPERTY } from "../../shared/index/product-uuid.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
let auth: Record<string, string>;
const products: ReturnType<typeof generateSentinel2Product>[] = [];
const uuids: string[] = [];

const hub = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.api}/dhus/${path}`, { redirect: "manual", ...init, headers: { ...auth, ...init.headers } });

beforeAll(async () => {
  // Slots held until each link expires (1 B/s), so five products in a row meet the limit.
  stack = await startTestStack({ downloads: { leaseBytesPerSecond: 1 } });
  const { user, password } = stack.endpoints.auth;
  auth = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
  for (let i = 0; i < 5; i++) {
    const p = generateSentinel2Product({
      tile: "33UVR",
      datetime: `2024-05-0${i + 1}T10:30:21.024Z`,
      cloudCover: 10 * i,
    });
    products.push(p);
    await stack.upload(p.key, p.bytes, "application/zip");
    const item = (await stack.get(`/collections/sentinel-2-l2a/items/${p.name}`)).body;
    uuids.push(item.properties[UUID_PROPERTY]);
  }
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe("/dhus/ on the wire", () => {
  it("writes a single entry as an object and every scalar as a string; Atom XML by default", async () => {
    const res = await hub(
      `search?format=json&rows=10&q=${encodeURIComponent(`identifier:${products[0]!.name}`)}`,
    );
    const { feed } = (await res.json()) as {
      feed: Record<string, string> & { entry: { id: string; double: unknown; str: { content: unknown }[] } };
    };
    expect(feed["opensearch:totalResults"]).toBe("1");
    expect(Array.isArray(feed.entry)).toBe(false);
    expect(feed.entry.id).toBe(uuids[0]);
    expect(feed.entry.double).toEqual({ name: "cloudcoverpercentage", content: "0" });
    for (const s of feed.entry.str) expect(typeof s.content).toBe("string");
    const xml = await hub("search?q=platformname:Sentinel-2&rows=2");
    expect(xml.headers.get("content-type")).toMatch(/atom\+xml/);
    const text = await xml.text();
    expect(text).toContain("<opensearch:totalResults>5</opensearch:totalResults>");
    expect(text.match(/<entry>/g)).toHaveLength(2);
    expect(text).toContain('rel="next"');
  });

  it("answers HEAD $value with the DHuS file name and size itself, and GET with a redirect that honours Range", async () => {
    const head = await hub(`odata/v1/Products('${uuids[0]}')/$value`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-disposition")).toBe(`inline;filename="${products[0]!.name}.zip"`);
    expect(head.headers.get("content-length")).toBe(String(products[0]!.bytes.length));
    // It hands out nothing usable (no URL), so it is not counted as a download either.
    expect(head.headers.get("location")).toBeNull();
    const probe = await hub(`odata/v1/Products('${uuids[0]}')/$value`, {
      redirect: "follow",
      headers: { range: "bytes=0-1" },
    });
    expect(probe.status).toBe(206);
    expect([...new Uint8Array(await probe.arrayBuffer())]).toEqual([0x50, 0x4b]);
  });

  it("serves nodes as JSON and bytes, and unknown products in DHuS's error form", async () => {
    const root = `Nodes('${products[1]!.name}.SAFE')`;
    const nodeUrl = `odata/v1/Products('${uuids[1]}')/${root}/Nodes('manifest.safe')?$format=json`;
    const node = (await (await hub(nodeUrl)).json()) as { d: { Name: string; ContentLength: string } };
    expect(node.d.Name).toBe("manifest.safe");
    const bytes = await (
      await hub(`odata/v1/Products('${uuids[1]}')/${root}/Nodes('manifest.safe')/$value`)
    ).text();
    expect(bytes.length).toBe(Number(node.d.ContentLength));
    expect(bytes).toContain("<dataObjectSection>");
    const missing = await hub("odata/v1/Products('00000000-0000-8000-8000-000000000000')?$format=json");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cause-message")).toMatch(/Invalid key/);
    expect(((await missing.json()) as { error: { message: { value: string } } }).error.message.value).toMatch(
      /Invalid key \(00000000/,
    );
    const version = await (await hub("api/stub/version")).json();
    expect(version).toEqual({ value: "2.4.1" });
  });

  it("needs credentials, and limits a user to 4 concurrent downloads with 403 and cause-message", async () => {
    expect((await fetch(`${stack.api}/dhus/search?q=*`)).status).toBe(401);
    const statuses: number[] = [];
    let cause: string | null = null;
    for (const u of uuids) {
      const res = await hub(`odata/v1/Products('${u}')/$value`);
      statuses.push(res.status);
      if (res.status === 403) {
        cause = res.headers.get("cause-message");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
    }
    // Leases are per product: product 0 (the probe above took it), product 1 (its manifest was
    // downloaded above), then products 2 and 3; the fifth product is refused.
    expect(statuses).toEqual([302, 302, 302, 302, 403]);
    expect(cause).toMatch(/concurrent flows/);
  });
});
