// The malformed requests of issue 16, each of which answered 500 (or hung): every one is now a 4xx with
// a JSON {code, description} saying what was wrong, with access rules configured (as `npm start` runs).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildItemRows } from "../../shared/index/rows.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { RESTRICTED_ACCESS } from "./restricted-access.ts";

let stack: TestApp;
let operator: string;

beforeAll(async () => {
  stack = await startTestApp({ access: RESTRICTED_ACCESS });
  const a = stack.endpoints.auth;
  operator = `Basic ${Buffer.from(`${a.operator.user}:${a.operator.password}`).toString("base64")}`;
  for (const c of ["optical", "radar"]) await stack.catalogue.putCollection(makeCollection(c, c, c, []));
  for (let i = 0; i < 3; i++) {
    const item = makeItem({
      id: `s${i}`,
      collection: "optical",
      datetime: `2024-01-0${i + 1}T00:00:00Z`,
      lon: 10,
      lat: 50,
    });
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection("optical", built.summary);
  }
});
afterAll(() => stack?.close());

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.endpoints.api}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: { code?: unknown; description?: unknown } = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

const deepArray = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
const enc = encodeURIComponent;
const long = "a".repeat(1100);

async function expectRefused(
  r: { status: number; json: { code?: unknown; description?: unknown }; text: string },
  status: number | number[],
  names: RegExp,
) {
  expect([status].flat(), r.text.slice(0, 300)).toContain(r.status);
  expect(typeof r.json.code).toBe("string");
  expect(r.json.description).toMatch(names);
}

describe("malformed input is a 4xx that says what was wrong", () => {
  it("a path with bad percent-encoding", async () => {
    await expectRefused(await call("GET", "/collections/%ZZ"), 400, /percent-encoding/);
    await expectRefused(await call("GET", "/collections/%ZZ/items"), 400, /percent-encoding/);
    await expectRefused(await call("GET", "/collections/optical/items/%E0%A4%A"), 400, /percent-encoding/);
  });

  it("a body that is not a JSON object", async () => {
    for (const body of ["null", "[]", '"search"', "42"]) {
      await expectRefused(await call("POST", "/search", body), 400, /request body: must be a JSON object/);
      await expectRefused(await call("POST", "/aggregate", body), 400, /request body: must be a JSON object/);
    }
  });

  it("JSON nested deeply, in the body, query, intersects and filter", async () => {
    await expectRefused(await call("POST", "/search", `{"a":${deepArray(100_000)}}`), 400, /nested/);
    await expectRefused(await call("POST", "/search", `{"query":${deepObject(20_000)}}`), 400, /nested/);
    await expectRefused(
      await call("POST", "/search", `{"intersects":{"type":"Polygon","coordinates":${deepArray(50_000)}}}`),
      400,
      /nested/,
    );
    await expectRefused(await call("POST", "/search", `{"filter":${deepObject(50_000)}}`), 400, /nested/);
    await expectRefused(await call("GET", `/search?query=${enc(deepObject(1000))}`), 400, /^query: .*nested/);
    await expectRefused(
      await call("GET", `/search?intersects=${enc(`{"type":"Polygon","coordinates":${deepArray(2000)}}`)}`),
      400,
      /^intersects: .*nested/,
    );
    await expectRefused(
      await call("GET", `/search?filter-lang=cql2-json&filter=${enc(deepObject(1000))}`),
      400,
      /^filter: .*nested/,
    );
  });

  it("ids and path ids over 1 KB, and too many ids", async () => {
    await expectRefused(await call("GET", `/search?ids=${long}`), 400, /^ids: .*1024 bytes/);
    await expectRefused(await call("POST", "/search", JSON.stringify({ ids: [long] })), 400, /^ids: /);
    const many = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    await expectRefused(
      await call("POST", "/search", JSON.stringify({ ids: many })),
      400,
      /^ids: at most 100/,
    );
    await expectRefused(await call("GET", `/collections/optical/items/${long}`), 400, /1024 bytes/);
    await expectRefused(await call("GET", `/collections/${long}`), 400, /1024 bytes/);
  });

  it("a search geometry with more positions than a request may cost", async () => {
    const ring = Array.from({ length: 10_001 }, (_, i) => [(i % 360) - 180, ((i * 7) % 180) - 90]);
    ring.push(ring[0]!);
    const r = await call(
      "POST",
      "/search",
      JSON.stringify({ intersects: { type: "Polygon", coordinates: [ring] } }),
    );
    await expectRefused(r, 400, /^intersects: 10002 positions/);
    const filter = {
      op: "s_intersects",
      args: [{ property: "geometry" }, { type: "Polygon", coordinates: [ring] }],
    };
    await expectRefused(
      await call("POST", "/search", JSON.stringify({ filter })),
      400,
      /^filter: .*10002 positions/,
    );
  });

  it("an item or a collection over 400 KB", async () => {
    const item = makeItem({
      id: "big",
      collection: "optical",
      datetime: "2024-01-01T00:00:00Z",
      lon: 1,
      lat: 1,
    });
    item.bbox = [0.5, 0.5, 1.5, 1.5];
    item.properties["pad"] = "x".repeat(450_000);
    await expectRefused(
      await call("POST", "/collections/optical/items", JSON.stringify(item), { authorization: operator }),
      413,
      /^item 'big' is \d+ bytes of JSON/,
    );
    const small = { ...item, id: "small", properties: { datetime: "2024-01-01T00:00:00Z" } };
    const bulk = { type: "FeatureCollection", features: [small, item] };
    await expectRefused(
      await call("POST", "/collections/optical/items", JSON.stringify(bulk), { authorization: operator }),
      413,
      /^features\[1\] \(item 'big'\)/,
    );
    // All or nothing: the small item was not written either.
    expect((await call("GET", "/collections/optical/items/small")).status).toBe(404);
    await expectRefused(
      await call("PATCH", "/collections/optical", JSON.stringify({ pad: "x".repeat(450_000) }), {
        authorization: operator,
      }),
      413,
      /^collection 'optical' is \d+ bytes/,
    );
  });

  it("forged, tampered and truncated paging tokens", async () => {
    const page = await call("GET", "/search?limit=1&collections=optical");
    const next = (page.json as { links: { rel: string; href: string }[] }).links.find(
      (l) => l.rel === "next",
    )!;
    const token = new URL(next.href).searchParams.get("token")!;
    const [payload] = token.split(".");
    const { s } = JSON.parse(Buffer.from(payload!, "base64url").toString()) as { s: string };
    // Positions made up for this very search, written as unsigned tokens were (the API used to accept them).
    const forge = (p: unknown[]) => Buffer.from(JSON.stringify({ p, s })).toString("base64url");
    const forged = [forge(["9999-12-31T00:00:00Z", "optical", "zzz"]), forge([{}, [], 1])];
    for (const bad of [
      ...forged,
      `${forged[0]}.${token.split(".")[1]}`,
      token.slice(0, -3),
      `${token.slice(0, 5)}x${token.slice(6)}`,
    ]) {
      await expectRefused(
        await call("GET", `/search?limit=1&collections=optical&token=${enc(bad)}`),
        400,
        /^token: /,
      );
      await expectRefused(
        await call("POST", "/search", JSON.stringify({ limit: 1, collections: ["optical"], token: bad })),
        400,
        /^token: /,
      );
    }
    // Anonymous callers see one collection ('radar' is hidden): the operator sees both, so a next page.
    const asOperator = { authorization: operator };
    const first = await call("GET", "/collections?limit=1", undefined, asOperator);
    const more = (first.json as { links: { rel: string; href: string }[] }).links.find(
      (l) => l.rel === "next",
    )!;
    const ct = new URL(more.href).searchParams.get("token")!;
    await expectRefused(
      await call("GET", `/collections?limit=1&token=${enc(`${ct}x`)}`, undefined, asOperator),
      400,
      /^token: /,
    );
    // The genuine tokens still page.
    expect((await call("GET", `/search?limit=1&collections=optical&token=${enc(token)}`)).status).toBe(200);
    expect((await call("GET", `/collections?limit=1&token=${enc(ct)}`, undefined, asOperator)).status).toBe(
      200,
    );
  });

  it("a statistics period far in the future", async () => {
    const r = await call("GET", "/admin/stats/search-params?from=9999-12-31", undefined, {
      authorization: operator,
    });
    await expectRefused(r, 400, /from/);
  });

  it("a path starting with // and a request line over 16 KB", async () => {
    await expectRefused(await call("GET", "//x"), 404, /no such resource/);
    await expectRefused(await call("GET", `/search?ids=${"a,".repeat(10_000)}`), 431, /16 KB/);
  });
});
