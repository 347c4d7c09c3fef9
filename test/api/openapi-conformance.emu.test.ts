// The OpenAPI document matches the routes, the HTML rendering is self-contained, and every
// advertised conformance class belongs to an extension these tests exercise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
});
afterAll(() => stack?.close());

describe("OpenAPI", () => {
  it("serves an OpenAPI 3.0 document whose paths all answer", async () => {
    const res = await stack.get("/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.oai.openapi+json;version=3.0");
    expect(res.body.openapi).toMatch(/^3\.0/);
    for (const path of Object.keys(res.body.paths)) {
      if (path.includes("{") || path.startsWith("/admin/") || !res.body.paths[path].get) continue;
      // Signing needs a signed-in caller and a URL to sign.
      const { user, password } = stack.endpoints.auth;
      const r =
        path === "/sign"
          ? await stack.get(`/sign?href=${encodeURIComponent(`${stack.api}/search`)}`, {
              headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
            })
          : await stack.get(path);
      expect(r.status, path).toBe(200);
    }
    const search = res.body.paths["/search"].get.parameters.map((p: { name: string }) => p.name);
    expect(search).toEqual(
      expect.arrayContaining(["filter", "filter-lang", "sortby", "fields", "query", "q", "token"]),
    );
  });

  it("renders it as HTML without external resources, linked from the landing page", async () => {
    const res = await fetch(`${stack.api}/api.html`);
    const html = await res.text();
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("/search");
    expect(html).not.toMatch(/<script|<link|src="http/);
    const landing = await stack.get("/");
    const rels = Object.fromEntries(
      landing.body.links.map((l: { rel: string; href: string }) => [l.rel, l.href]),
    );
    expect(rels["service-desc"]).toBe(`${stack.api}/api`);
    expect(rels["service-doc"]).toBe(`${stack.api}/api.html`);
  });
});

describe("conformance", () => {
  it("advertises the filter, sort, fields, query, free-text, collection-search and aggregation classes", async () => {
    const { body } = await stack.get("/conformance");
    for (const suffix of [
      "item-search#filter",
      "conf/features-filter",
      "conf/basic-cql2",
      "conf/advanced-comparison-operators",
      "conf/case-insensitive-comparison",
      "conf/spatial-functions",
      "conf/temporal-functions",
      "conf/array-functions",
      "conf/arithmetic",
      "item-search#sort",
      "item-search#fields",
      "item-search#query",
      "item-search#free-text",
      "collection-search",
      "aggregation",
    ]) {
      expect(
        body.conformsTo.some((c: string) => c.endsWith(suffix)),
        suffix,
      ).toBe(true);
    }
  });
});
