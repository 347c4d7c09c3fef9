// Mutations of a valid request, as an attacker or a broken client would make them: path segments and
// parameters replaced by hostile strings, JSON bodies cut, nested or swapped for other types, paging
// tokens flipped, truncated and forged, methods and credentials changed.
import { jsonDepthExceeds } from "../../shared/http/json-input.ts";
import { as, chance, enc, type HostileRequest, int, pick, type Rand, type World } from "./hostile-world.ts";

const deepArray = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

/** Raw (already encoded) strings for path segments and parameter values. */
function hostileRaw(r: Rand, w: World): string {
  return pick(r, [
    () => "",
    () => "%ZZ",
    () => "%",
    () => "%C3%28",
    () => "%E0%A4%A",
    () => "%00",
    () => "%2e%2e",
    () => "..",
    () => enc("a".repeat(int(r, 1000, 4000))),
    () => enc("ä".repeat(int(r, 300, 700))),
    () => enc("😀🛰"),
    () => enc(`${pick(r, w.collections)} `),
    () => enc(` ${pick(r, w.collections)}`),
    () => enc(pick(r, w.collections).toUpperCase()),
    () => enc("' OR 1=1 --"),
    () => enc("<script>alert(1)</script>"),
    () =>
      pick(r, [
        "null",
        "true",
        "-1",
        "0",
        "1e309",
        "NaN",
        "Infinity",
        "-0",
        "0x10",
        "1.5",
        "10001",
        "99999999999999999999",
      ]),
    () =>
      enc(
        pick(r, [
          "9999-12-31",
          "0000-01-01",
          "+275760-09-13T00:00:00Z",
          "2024-02-30",
          "../..",
          "/",
          "2024-01-01T25:00:00Z",
        ]),
      ),
    () =>
      enc(pick(r, ["[]", "{}", "[1]", '{"type":"Point"}', '{"type":"Polygon","coordinates":[[]]}', '"x"'])),
    () => enc(deepArray(int(r, 200, 3000))),
    () => enc(deepObject(int(r, 200, 2000))),
    () => enc("(".repeat(int(r, 50, 2000))),
    () => enc("NOT ".repeat(int(r, 50, 1500))),
    () => enc(`${"a,".repeat(int(r, 100, 1500))}a`),
    () =>
      enc(
        `POLYGON((${Array.from({ length: int(r, 100, 600) }, (_, i) => `${i % 180} ${i % 90}`).join(",")}))`,
      ),
    () => (w.tokens.length ? pick(r, w.tokens) : "x"),
  ])();
}

/** Decoded JSON values to put into bodies. */
function hostileJson(r: Rand, w: World): unknown {
  return pick(r, [
    () => null,
    () => [],
    () => ({}),
    () => "",
    () => true,
    () => -1,
    () => 0,
    () => 1e308,
    () => -1e308,
    () => 1.5,
    () => "a".repeat(int(r, 1000, 3000)),
    () => [pick(r, w.collections), "x".repeat(2000)],
    () => Array.from({ length: int(r, 100, 2000) }, (_, i) => `id-${i}`),
    () => Array.from({ length: int(r, 10, 20000) }, () => int(r, -200, 200)),
    () => JSON.parse(deepArray(int(r, 10, 200))),
    () => ({ type: "Polygon", coordinates: JSON.parse(deepArray(int(r, 3, 100))) }),
    () => ({
      type: "MultiPolygon",
      coordinates: [[Array.from({ length: int(r, 4, 20000) }, (_, i) => [(i % 360) - 180, (i % 180) - 90])]],
    }),
    () => ({ type: "GeometryCollection", geometries: [{ type: "GeometryCollection", geometries: [] }] }),
    () => ({
      op: "and",
      args: Array.from({ length: int(r, 100, 3000) }, () => ({ op: "=", args: [{ property: "id" }, "x"] })),
    }),
    () => ({ op: "not", args: [{ op: "not", args: [{ op: "=", args: [{ property: "a" }, 1] }] }] }),
    () => ({ "eo:cloud_cover": { lt: { b: 1 } } }),
    () => ({ "eo:cloud_cover": { in: Array.from({ length: 5000 }, (_, i) => i) } }),
    () => ({ property: "__proto__" }),
    () => JSON.parse('{"__proto__":{"polluted":1}}'),
    () => ({ timestamp: "+275760-09-13T00:00:00Z" }),
    () => ({ interval: ["..", ".."] }),
    () => [{ field: "x".repeat(500), direction: "sideways" }],
    () => hostileRaw(r, w),
    () => (w.tokens.length ? forgeToken(r, pick(r, w.tokens)) : "x"),
  ])();
}

/** A token changed the ways an attacker would: flipped, truncated, re-signed by nobody, forged. */
function forgeToken(r: Rand, token: string): string {
  const [payload = "", mac = ""] = token.split(".");
  const flip = (s: string) => {
    if (s.length === 0) return "A";
    const i = int(r, 0, s.length - 1);
    return s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
  };
  let search = "";
  try {
    search = (JSON.parse(Buffer.from(payload, "base64url").toString()) as { s: string }).s;
  } catch {}
  const forged = (p: unknown) => Buffer.from(JSON.stringify({ p, s: search })).toString("base64url");
  return pick(r, [
    () => flip(token),
    () => `${flip(payload)}.${mac}`,
    () => `${payload}.${flip(mac)}`,
    () => token.slice(0, int(r, 0, token.length - 1)),
    () => forged([{}, [], 1]),
    () => `${forged(["9999-12-31T00:00:00Z", "x", "y"])}.${mac}`,
    () => forged([null, null, null]),
    () => `${token}${token}`,
    () => Buffer.from("not json").toString("base64url"),
  ])();
}

/** Replaces a random node of a JSON value (objects and arrays are walked a few levels). */
function mutateJson(r: Rand, w: World, v: unknown, depth = 0): unknown {
  if (depth > 3 || typeof v !== "object" || v === null || chance(r, 0.3)) return hostileJson(r, w);
  if (Array.isArray(v)) {
    if (v.length === 0) return [hostileJson(r, w)];
    const out = [...v];
    const i = int(r, 0, out.length - 1);
    out[i] = mutateJson(r, w, out[i], depth + 1);
    return out;
  }
  const o = { ...(v as Record<string, unknown>) };
  const keys = Object.keys(o);
  const action = r();
  if (keys.length === 0 || action < 0.15)
    o[
      pick(r, [
        "collections",
        "ids",
        "bbox",
        "intersects",
        "filter",
        "query",
        "token",
        "limit",
        "sortby",
        "zzz",
      ])
    ] = hostileJson(r, w);
  else if (action < 0.25) delete o[pick(r, keys)];
  else {
    const k = pick(r, keys);
    o[k] = mutateJson(r, w, o[k], depth + 1);
  }
  return o;
}

function mutateBody(r: Rand, w: World, req: HostileRequest): void {
  const whole = r();
  if (whole < 0.12) {
    req.body = pick(r, [
      "null",
      "[]",
      '"search"',
      "42",
      "true",
      "",
      "{",
      '{"a":',
      "{}}",
      "\u0000",
      "\ufeff{}",
    ]);
    return;
  }
  if (whole < 0.2) {
    req.body = pick(r, [
      () => deepArray(int(r, 300, 100_000)),
      () => `{"filter":${deepObject(int(r, 300, 50_000))}}`,
      () => `{"query":${deepObject(int(r, 300, 20_000))}}`,
      () => `{"intersects":{"type":"Polygon","coordinates":${deepArray(int(r, 300, 50_000))}}}`,
      () => JSON.stringify({ pad: "x".repeat(int(r, 400_000, 1_200_000)) }),
      () =>
        JSON.stringify({
          type: "Feature",
          id: "big",
          stac_version: "1.1.0",
          geometry: { type: "Point", coordinates: [0, 0] },
          properties: { datetime: "2024-01-01T00:00:00Z", pad: "x".repeat(int(r, 300_000, 600_000)) },
          links: [],
          assets: {},
        }),
    ])();
    return;
  }
  let v: unknown = {};
  try {
    // A body an earlier mutation nested too deeply for JSON.stringify starts again from {}.
    if (!jsonDepthExceeds(req.body ?? "", 1000)) v = JSON.parse(req.body ?? "{}");
  } catch {}
  const out = JSON.stringify(mutateJson(r, w, v));
  req.body = chance(r, 0.08) ? out.slice(0, int(r, 0, out.length)) : out;
}

export function mutate(r: Rand, w: World, req: HostileRequest): void {
  const k = r();
  if (k < 0.22 && req.segments.length > 0) {
    // A path segment.
    const i = int(r, 0, req.segments.length - 1);
    req.segments[i] = hostileRaw(r, w);
  } else if (k < 0.27) {
    if (chance(r, 0.5)) req.segments.push(hostileRaw(r, w));
    else req.segments.pop();
  } else if (k < 0.5) {
    // A parameter: replaced, added, duplicated, removed or cut short.
    const a = r();
    if (req.query.length > 0 && a < 0.45) {
      const i = int(r, 0, req.query.length - 1);
      req.query[i] = [req.query[i]![0], hostileRaw(r, w)];
    } else if (a < 0.7) {
      const name = pick(r, [
        "collections",
        "ids",
        "bbox",
        "intersects",
        "datetime",
        "limit",
        "token",
        "filter",
        "filter-lang",
        "filter-crs",
        "query",
        "sortby",
        "fields",
        "q",
        "aggregations",
        "from",
        "to",
        "rows",
        "start",
        "format",
        "orderby",
        "$expand",
        "zzz",
        "%ZZ",
      ]);
      req.query.push([name, hostileRaw(r, w)]);
    } else if (req.query.length > 0 && a < 0.8) req.query.push(pick(r, req.query));
    else if (req.query.length > 0 && a < 0.9) req.query.splice(int(r, 0, req.query.length - 1), 1);
    else if (req.query.length > 0) {
      const i = int(r, 0, req.query.length - 1);
      const [name, value] = req.query[i]!;
      req.query[i] = [name, value.slice(0, int(r, 0, value.length))];
    }
  } else if (k < 0.58) {
    // The paging token.
    const i = req.query.findIndex(([n]) => n === "token");
    const token = w.tokens.length ? forgeToken(r, pick(r, w.tokens)) : "x";
    if (req.body !== undefined && req.method === "POST") {
      try {
        req.body = JSON.stringify({ ...JSON.parse(req.body), token });
        return;
      } catch {}
    }
    if (i >= 0) req.query[i] = ["token", enc(token)];
    else req.query.push(["token", enc(token)]);
  } else if (k < 0.78) {
    if (req.body === undefined && chance(r, 0.5)) req.body = JSON.stringify(hostileJson(r, w));
    else mutateBody(r, w, req);
  } else if (k < 0.86) {
    req.method = pick(r, ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
    if ((req.method === "GET" || req.method === "HEAD") && req.body !== undefined) delete req.body;
  } else {
    // Credentials and other headers.
    const h = pick(r, [
      () => ({ authorization: as(r, w, pick(r, ["user", "partner", "operator"] as const)) }),
      () => ({ authorization: chance(r, 0.2) ? "Basic bm9ib2R5Om5vcGU=" : "Basic bm9ib2R5" }),
      () => ({
        authorization: pick(r, ["Basic", "Basic !!!", "Bearer", "Bearer x.y.z", "Digest a=b", "Basic Og=="]),
      }),
      () => ({ authorization: `Bearer ${"a".repeat(int(r, 100, 6000))}.${"b".repeat(50)}.c` }),
      () => ({
        authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"x","cognito:groups":["operators"]}').toString("base64url")}.`,
      }),
      () => ({
        "content-type": pick(r, [
          "text/plain",
          "application/json-patch+json",
          "application/xml",
          "multipart/form-data; boundary=x",
          "",
        ]),
      }),
      () => ({ "accept-encoding": pick(r, ["br;q=0, gzip;q=0", "*;q=0", "gzip;q=abc", "identity"]) }),
      () => ({ range: pick(r, ["bytes=0-1", "bytes=-5", "bytes=9999999999-", "bytes=a-b", "lines=1-2"]) }),
      () => ({ "x-forwarded-host": "evil.example" }),
    ])();
    if (chance(r, 0.2)) delete req.headers["authorization"];
    Object.assign(req.headers, h);
  }
}
