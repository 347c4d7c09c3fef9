// The access suite: the local stack over HTTP with HEXARCHIVE_ACCESS restricting two collections, probed
// on every route by anonymous, user, wrong-group, writer, partner and operator principals, with the
// restricted names in canonical and non-canonical spellings (spaces, %20, percent-encoding, case,
// Unicode lookalikes), in query strings, paths and POST bodies, and through items whose hrefs point
// elsewhere (legacy items, sidecars climbing with `..`, `s3://` to other keys and buckets, Transactions
// writes with foreign hrefs). Prints the probe count and every breach; asserts none.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_TABLE } from "../../dev/local/stack.ts";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import type { AccessPolicy } from "../../shared/auth/access-policy.ts";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { leaseKey, PK, SK } from "../../shared/index/keys.ts";
import { UUID_PROPERTY } from "../../shared/index/product-uuid.ts";
import { indexItem } from "../../shared/ingest/index-item.ts";
import { API_SOURCE } from "../../shared/products/object-home.ts";
import { MAX_LIMIT, parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { bytesReader, openZip, readZipMember } from "../../shared/zip/index.ts";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";
import {
  foreignProbes,
  namelessProbes,
  type Probe,
  type Restricted,
  restrictedProbes,
  type Who,
  writeProbes,
} from "./probes.ts";

const POLICY: AccessPolicy = {
  search: "public",
  download: "authenticated",
  write: "group:editors",
  collections: {
    "partner-data": { search: "group:partners", download: "group:partners" },
    "sentinel-2-l2a": { search: "group:partners" },
  },
};
const PUBLIC = "public-data";
const SECRET_PROP = "PARTNER-SECRET-PROPERTY-41c7";
const SECRET_BYTES = "PARTNER-SECRET-BYTES-9e2d";
const KEYWORD = "partnerkeyword";
const PARTNER_ITEM = "partner-secret-item";
const s2 = generateSentinel2Product({ tile: "33UVR", datetime: "2021-03-03T10:00:00.024Z" });
/** The same kind of product uploaded as a folder, file by file (indexed when its manifest arrives). */
const s2Folder = generateSentinel2Product({ tile: "33UWR", datetime: "2021-04-04T10:00:00.024Z" });

let stack: SecuredStack;
let bucket: string;
const who: Record<string, Who> = {};
/** The same user over HTTP Basic (DHuS clients' way): fewer probes, each costs a password hash. */
let basicUser: Who;
let restricted: Restricted[] = [];
let legacy: { collection: string; item: string; assets: string[]; uuid?: string; file?: string }[] = [];
let visible = { items: 0, collections: 0 };

// biome-ignore format: one ring reads best on one line
const SQUARE = [[14, 50], [14.5, 50], [14.5, 50.3], [14, 50.3], [14, 50]];
const feature = (id: string, collection: string, assets: Record<string, unknown>, props = {}) => ({
  type: "Feature",
  stac_version: "1.1.0",
  id,
  collection,
  geometry: { type: "Polygon", coordinates: [SQUARE] },
  bbox: [14, 50, 14.5, 50.3],
  properties: { datetime: "2024-05-01T10:00:00Z", ...props },
  links: [],
  assets,
});

async function send(p: Pick<Probe, "method" | "path" | "body" | "contentType">, auth?: string) {
  const headers: Record<string, string> = {};
  if (auth) headers["authorization"] = auth;
  if (p.body !== undefined) headers["content-type"] = p.contentType ?? "application/json";
  const res = await fetch(`${stack.api}${p.path}`, {
    method: p.method,
    redirect: "manual",
    headers,
    ...(p.body === undefined ? {} : { body: JSON.stringify(p.body) }),
  });
  return { status: res.status, headers: res.headers, text: p.method === "HEAD" ? "" : await res.text() };
}

const operatorCall = (method: string, path: string, body?: unknown) =>
  send({ method, path, body }, who["operator"]!.auth);

async function uuidOf(collection: string, id: string): Promise<string> {
  const stored = await stack.catalogue.getItem(collection, id);
  return String(stored?.item.properties[UUID_PROPERTY]);
}

/** Writes an item as code before the confinement rules could have: straight into the index. */
async function legacyItem(id: string, source: string, assets: Record<string, unknown>) {
  const describeCollection = () => {
    throw new Error("the collection exists");
  };
  const item = feature(id, PUBLIC, assets) as unknown as StacItem;
  await indexItem({ catalogue: stack.catalogue, describeCollection }, item, { version: "legacy-1", source });
}

beforeAll(async () => {
  stack = await startSecuredStack({ access: POLICY, downloads: { concurrentLimit: 100_000 } });
  bucket = stack.endpoints.s3.bucket;
  const users: [string, string[]][] = [
    ["outsider", ["others"]],
    ["editor", ["editors"]],
    ["partner", ["partners"]],
    ["header", []],
  ];
  for (const [name, groups] of users) stack.issuer.addUser(name, `${name}-password`, groups);
  // Bearer tokens: verified in microseconds, where a Basic password costs a scrypt on every request.
  const bearer = async (u: string, password = `${u}-password`) => `Bearer ${await stack.token(u, password)}`;
  who["anonymous"] = { name: "anonymous", entitled: false };
  who["user"] = { name: "user", auth: await bearer("demo", "demo-password"), entitled: false };
  who["outsider"] = { name: "outsider", auth: await bearer("outsider"), entitled: false };
  who["editor"] = { name: "editor", auth: await bearer("editor"), entitled: false };
  who["partner"] = { name: "partner", auth: await bearer("partner"), entitled: true };
  who["operator"] = { name: "operator", auth: await bearer("operator", "operator-password"), entitled: true };
  basicUser = { name: "user-basic", auth: stack.basic("demo", "demo-password"), entitled: false };

  const collection = (id: string, keywords: string[]) =>
    operatorCall("POST", "/collections", {
      type: "Collection",
      id,
      description: `${id} products`,
      license: "other",
      keywords,
      links: [],
    });
  expect((await collection("partner-data", [KEYWORD])).status).toBe(201);
  expect((await collection(PUBLIC, ["open"])).status).toBe(201);

  await stack.upload("partner-data/secret.txt", `${SECRET_BYTES}\n`, "text/plain");
  const partnerAssets = { data: { href: "secret.txt", type: "text/plain", roles: ["data"] } };
  const partner = feature(PARTNER_ITEM, "partner-data", partnerAssets, {
    title: SECRET_PROP,
    partnersecretfield: 7,
  });
  await stack.upload("partner-data/secret.stac.json", JSON.stringify(partner), "application/json");
  await stack.upload(`${PUBLIC}/ok.txt`, "public bytes\n", "text/plain");
  const ok = feature("public-ok", PUBLIC, { data: { href: "ok.txt", type: "text/plain", roles: ["data"] } });
  await stack.upload(`${PUBLIC}/ok.stac.json`, JSON.stringify(ok), "application/json");
  await stack.upload(s2.key, s2.bytes, "application/zip");
  const folderZip = await openZip(bytesReader(s2Folder.bytes));
  const files = folderZip.entries.filter((e) => !e.isDirectory);
  const manifestLast = [...files].sort(
    (a, b) => Number(/manifest\.safe$/.test(a.name)) - Number(/manifest\.safe$/.test(b.name)),
  );
  for (const e of manifestLast) await stack.upload(`folders/${e.name}`, await readZipMember(folderZip, e));
  const folderFile = `folders/${files.find((e) => /MTD_TL\.xml$/.test(e.name))!.name}`;
  expect(await stack.catalogue.getItem("sentinel-2-l2a", s2Folder.name)).toBeDefined();
  const apiOk = feature("public-api-ok", PUBLIC, { data: { href: `s3://${bucket}/${PUBLIC}/ok.txt` } });
  expect((await operatorCall("POST", `/collections/${PUBLIC}/items`, apiOk)).status).toBe(201);

  const zip = await openZip(bytesReader(s2.bytes));
  const root = zip.entries[0]!.name.split("/")[0]!;
  restricted = [
    {
      collection: "partner-data",
      item: PARTNER_ITEM,
      assets: ["data"],
      uuid: await uuidOf("partner-data", PARTNER_ITEM),
    },
    {
      collection: "sentinel-2-l2a",
      item: s2.name,
      assets: ["product", "thumbnail", "granule_metadata"],
      file: "manifest.safe",
      uuid: await uuidOf("sentinel-2-l2a", s2.name),
      root,
    },
  ];

  // Items pointing at objects that are not theirs, written as older code would have let them in.
  const secret = `s3://${bucket}/partner-data/secret.txt`;
  const product = { href: `s3://${bucket}/${s2.key}`, type: "application/zip", roles: ["data"] };
  await legacyItem("legacy-api-partner", API_SOURCE, { data: { href: secret } });
  await legacyItem("legacy-api-s2", API_SOURCE, { product });
  await legacyItem("legacy-api-other-bucket", API_SOURCE, {
    data: { href: `s3://other-bucket/${PUBLIC}/x` },
  });
  await legacyItem("legacy-sidecar-partner", `${PUBLIC}/legacy.stac.json`, { data: { href: secret } });
  const dots = `s3://${bucket}/${PUBLIC}/../partner-data/secret.txt`;
  await legacyItem("legacy-sidecar-dots", `${PUBLIC}/legacy.stac.json`, { data: { href: dots } });
  await legacyItem("legacy-root-sidecar-s2", "legacy.stac.json", { product });
  // A root sidecar's folder is the whole bucket: it still may not reach into another item's product folder.
  const inFolder = { href: `s3://${bucket}/${folderFile}` };
  await legacyItem("legacy-root-sidecar-folder", "legacy.stac.json", { data: inFolder });
  await legacyItem("legacy-api-folder", API_SOURCE, { data: inFolder });
  legacy = [
    { collection: PUBLIC, item: "legacy-api-partner", assets: ["data"] },
    { collection: PUBLIC, item: "legacy-api-s2", assets: ["product"], file: "manifest.safe" },
    { collection: PUBLIC, item: "legacy-api-other-bucket", assets: ["data"] },
    { collection: PUBLIC, item: "legacy-sidecar-partner", assets: ["data"] },
    { collection: PUBLIC, item: "legacy-sidecar-dots", assets: ["data"] },
    { collection: PUBLIC, item: "legacy-root-sidecar-s2", assets: ["product"], file: "manifest.safe" },
    { collection: PUBLIC, item: "legacy-root-sidecar-folder", assets: ["data"] },
    { collection: PUBLIC, item: "legacy-api-folder", assets: ["data"] },
  ];
  for (const l of legacy) l.uuid = await uuidOf(PUBLIC, l.item);

  // Sidecars that try to reach other objects: refused at ingest, so their items never exist.
  const climbing = [
    "../partner-data/secret.txt",
    "/partner-data/secret.txt",
    secret,
    `s3://${bucket}/${s2.key}`,
    `s3://other-bucket/${PUBLIC}/x`,
    dots,
    "sub/../../partner-data/secret.txt",
  ];
  for (const [n, href] of climbing.entries()) {
    const id = `evil-sidecar-${n}`;
    const body = feature(id, PUBLIC, { data: { href }, product: { href, type: "application/zip" } });
    await stack.upload(`${PUBLIC}/${id}.stac.json`, JSON.stringify(body), "application/json");
    legacy.push({ collection: PUBLIC, item: id, assets: ["data", "product"], file: "manifest.safe" });
  }

  const all = await stack.catalogue.listCollections();
  const open = all.filter((c) => !(c.collection.id in POLICY.collections));
  const everyOpenItem = parseSearch(
    { collections: open.map((c) => c.collection.id), limit: MAX_LIMIT },
    { source: "body" },
  );
  const items = (await searchItems(stack.catalogue, everyOpenItem, UNRESTRICTED)).items.length;
  visible = { collections: open.length, items };
}, 180_000);
afterAll(() => stack?.close());

const MARKERS = () => [
  PARTNER_ITEM,
  s2.name,
  SECRET_PROP,
  SECRET_BYTES,
  KEYWORD,
  "partnersecretfield",
  "partner-data",
  "sentinel-2-l2a",
  "s2:mgrs_tile",
  ...restricted.map((r) => r.uuid),
];

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Why an answer is a breach, or undefined. Answers of 400 and above hand out nothing. */
function breachOf(p: Probe, r: { status: number; headers: Headers; text: string }): string | undefined {
  if (r.status >= 400) return undefined;
  if (p.kind === "foreign") return `served an object that is not the item's own (${r.status})`;
  if (p.kind === "write") return `accepted (${r.status})`;
  if (p.who.entitled) return undefined;
  // A route naming one collection, item or product answers only when the caller may see it.
  if (/^\/collections\/[^?/]/.test(p.path) || p.path.includes("Products('"))
    return `answered ${r.status} for a restricted collection`;
  const request = `${decoded(p.path)} ${JSON.stringify(p.body ?? "")}`.toLowerCase();
  const shown = `${r.headers.get("location") ?? ""} ${r.headers.get("content-disposition") ?? ""} ${r.text}`;
  for (const m of MARKERS())
    if (shown.toLowerCase().includes(m.toLowerCase()) && !request.includes(m.toLowerCase()))
      return `shows '${m}'`;
  let doc: Record<string, unknown> | undefined;
  try {
    doc = JSON.parse(r.text) as Record<string, unknown>;
  } catch {}
  const counts: [string, number, number][] = [];
  if (doc) {
    const bound = Array.isArray(doc["collections"]) ? visible.collections : visible.items;
    if (typeof doc["numberMatched"] === "number") counts.push(["numberMatched", doc["numberMatched"], bound]);
    if (Array.isArray(doc["features"])) counts.push(["features", doc["features"].length, visible.items]);
    const aggs = (doc["aggregations"] ?? []) as { name?: string; value?: unknown }[];
    const total = Array.isArray(aggs) ? aggs.find((a) => a.name === "total_count")?.value : undefined;
    if (typeof total === "number") counts.push(["total_count", total, visible.items]);
  }
  const dhus = /totalResults"?>?:?\s*"?(\d+)/.exec(r.text);
  if (dhus) counts.push(["totalResults", Number(dhus[1]), visible.items]);
  const over = counts.find(([, n, bound]) => n > bound);
  return over ? `counts ${over[0]} = ${over[1]} (at most ${over[2]} are visible)` : undefined;
}

async function runAll(probes: Probe[]) {
  const breaches: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const p = probes[next++]!;
      const r = await send(p, p.who.auth);
      const why = breachOf(p, r);
      if (why)
        breaches.push(`${p.who.name} ${p.method} ${p.path} ${p.body ? JSON.stringify(p.body) : ""}: ${why}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return breaches;
}

describe("access", () => {
  it("lets the entitled read, download and count what they may (the suite can tell)", async () => {
    const failures: string[] = [];
    const expectTo = async (
      w: Who,
      path: string,
      check: (r: { status: number; text: string; headers: Headers }) => boolean,
    ) => {
      const r = await send({ method: "GET", path }, w.auth);
      if (!check(r)) failures.push(`${w.name} GET ${path}: ${r.status} ${r.text.slice(0, 200)}`);
    };
    for (const w of [who["partner"]!, who["operator"]!]) {
      await expectTo(w, "/search?collections=partner-data", (r) => r.text.includes(SECRET_PROP));
      await expectTo(w, "/collections", (r) => r.text.includes('"partner-data"'));
      await expectTo(w, "/", (r) => r.text.includes("/collections/partner-data"));
      await expectTo(w, `/collections?q=${KEYWORD}`, (r) => JSON.parse(r.text).numberMatched === 1);
      await expectTo(w, "/aggregate?collections=partner-data&aggregations=total_count", (r) =>
        r.text.includes('"value":1'),
      );
      await expectTo(w, "/queryables", (r) => r.text.includes("partnersecretfield"));
      const asset = `/collections/partner-data/items/${PARTNER_ITEM}/assets/data`;
      const res = await send({ method: "GET", path: asset }, w.auth);
      const bytes = res.status === 302 ? await (await fetch(res.headers.get("location")!)).text() : "";
      if (!bytes.includes(SECRET_BYTES))
        failures.push(`${w.name} could not download ${asset}: ${res.status}`);
      await expectTo(
        w,
        `/collections/sentinel-2-l2a/items/${s2.name}/files/manifest.safe`,
        (r) => r.status < 400,
      );
      await expectTo(w, `/dhus/odata/v1/Products('${restricted[1]!.uuid}')/$value`, (r) => r.status === 302);
    }
    await expectTo(
      who["user"]!,
      `/collections/${PUBLIC}/items/public-ok/assets/data`,
      (r) => r.status === 302,
    );
    await expectTo(
      who["user"]!,
      `/collections/${PUBLIC}/items/public-api-ok/assets/data`,
      (r) => r.status === 302,
    );
    expect(failures).toEqual([]);
  });

  it("leaks nothing to anyone through any route, spelling or href: 0 breaches", async () => {
    const principals = Object.values(who);
    const probes = [
      ...principals.flatMap((w) => [
        ...restricted.flatMap((r) => restrictedProbes(w, r)),
        ...namelessProbes(w, KEYWORD),
        ...foreignProbes(w, legacy),
      ]),
      ...namelessProbes(basicUser, KEYWORD),
      ...foreignProbes(basicUser, legacy),
    ];
    const started = Date.now();
    const breaches = await runAll(probes);
    const hrefs = [
      `s3://${bucket}/partner-data/secret.txt`,
      `s3://${bucket}/partner-data/secret.stac.json`,
      `s3://${bucket}/${s2.key}`,
      `s3://other-bucket/${PUBLIC}/x.txt`,
      `s3://${bucket}/${PUBLIC}/../partner-data/secret.txt`,
      `s3://${bucket}/${PUBLIC}//x.txt`,
      `s3://${bucket}/${PUBLIC}x/secret.txt`,
      `S3://${bucket}/partner-data/secret.txt`,
      // Inside the collection's folder, but the source of another item.
      `s3://${bucket}/${PUBLIC}/ok.stac.json`,
    ];
    const item = (id: string, href: string) => feature(id, PUBLIC, { data: { href } });
    const writes = principals.flatMap((w) =>
      writeProbes(w, { collection: PUBLIC, existing: "public-api-ok", hrefs, restricted, bucket, item }),
    );
    breaches.push(...(await runAll(writes)));
    const total = probes.length + writes.length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`access suite: ${total} probes, ${breaches.length} breaches (${seconds} s)`);
    for (const b of breaches.slice(0, 40)) console.log(`  breach: ${b}`);
    expect(total).toBeGreaterThan(5000);
    expect(breaches).toEqual([]);
  }, 300_000);

  it("counts HEAD of a download as GET is counted: it takes a download slot", async () => {
    const head = await send(
      { method: "HEAD", path: `/collections/${PUBLIC}/items/public-ok/assets/data` },
      stack.basic("header", "header-password"),
    );
    expect(head.status).toBe(302);
    const k = leaseKey("header");
    const got = await stack.doc.send(
      new GetCommand({ TableName: LOCAL_TABLE, Key: { [PK]: k.pk, [SK]: k.sk } }),
    );
    expect(Object.keys((got.Item?.["leases"] as object | undefined) ?? {})).toHaveLength(1);
    // DHuS answers HEAD $value itself (what sentinelsat reads): file name and size, no URL.
    const dhus = await send(
      { method: "HEAD", path: `/dhus/odata/v1/Products('${await uuidOf(PUBLIC, "public-ok")}')/$value` },
      stack.basic("header", "header-password"),
    );
    expect(dhus.status).toBe(200);
    expect(dhus.headers.get("location")).toBeNull();
  });
});
