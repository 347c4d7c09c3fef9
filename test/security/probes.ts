// The access suite's probe table: every route × every principal × every spelling of a restricted
// collection's name, plus hrefs that point elsewhere; and the oracle that decides what is a breach.

export interface Who {
  name: string;
  /** Full Authorization header value; none for anonymous. */
  auth?: string;
  /** May read the restricted collections (their group, or operators). */
  entitled: boolean;
}

/**
 * `restricted`: asks for data of a restricted collection (a breach if a caller not entitled gets it);
 * `foreign`: an item whose href points at an object that is not its own (a breach if served to anyone);
 * `write`: a write that must be refused (a foreign href, or a restricted collection for outsiders).
 */
export type Kind = "restricted" | "foreign" | "write";

export interface Probe {
  who: Who;
  kind: Kind;
  method: string;
  /** Relative to the API, already encoded exactly as sent. */
  path: string;
  body?: unknown;
  contentType?: string;
}

export interface Restricted {
  collection: string;
  item: string;
  assets: string[];
  /** A file inside the product archive, when it has one. */
  file?: string;
  /** The DHuS UUID of the item, and its archive's root folder (for Nodes). */
  uuid: string;
  root?: string;
}

/** Spellings that a parser, a store or a person might take for the same name. */
export function nameVariants(n: string): string[] {
  const upperFirst = n[0]!.toUpperCase() + n.slice(1);
  return unique([
    n,
    `${n} `,
    ` ${n}`,
    `${n}\t`,
    `\n${n}`,
    `${n}\u00a0`,
    `${n}\u200b`,
    n.toUpperCase(),
    upperFirst,
    n.replace("-", "\u2010"), // Unicode hyphen
    n.replace("a", "\u0430"), // Cyrillic a
    n.replace("e", "\u0435"), // Cyrillic e
    n.normalize("NFKD"),
    `${n}/`,
    `./${n}`,
  ]);
}

const pctFirst = (n: string) => `%${n.charCodeAt(0).toString(16).toUpperCase()}${n.slice(1)}`;

/** The name as a path segment: encoded variants, plus raw percent-encodings a client might send. */
export function pathVariants(n: string): string[] {
  return unique([
    ...nameVariants(n).map(encodeURIComponent),
    `${n}%20`,
    `%20${n}`,
    pctFirst(n),
    n.replace("-", "%2D"),
    n.replace("-", "%252D"),
    `${n}%2F`,
    `${n}%00`,
    `${n}%ZZ`,
    `${n}%09`,
  ]);
}

/** The name as (part of) a `collections=` value, as sent on the wire. */
export function queryVariants(n: string): string[] {
  return unique([
    ...nameVariants(n).map(encodeURIComponent),
    `${n}%20`,
    `%20${n}`,
    pctFirst(n),
    `${n},`,
    `,${n}`,
    `${n}%2C`,
    `${n},public-data`,
    `public-data,${n}`,
    `public-data,%20${n}%20`,
  ]);
}

/** JSON values for a POST body's `collections` (arrays, as the spec wants, and what else arrives). */
export function bodyVariants(n: string): unknown[] {
  return [...nameVariants(n).map((v) => [v]), [n, "public-data"], ["public-data", ` ${n} `], n, `${n} `];
}

const AGG = "aggregations=total_count,collection_frequency";
const AGG_BODY = ["total_count", "collection_frequency"];

/** Every read route that names a restricted collection, in every spelling. */
export function restrictedProbes(who: Who, r: Restricted): Probe[] {
  const out: Probe[] = [];
  const get = (path: string, method = "GET") => out.push({ who, kind: "restricted", method, path });
  const post = (path: string, body: unknown) =>
    out.push({ who, kind: "restricted", method: "POST", path, body });
  for (const c of pathVariants(r.collection)) {
    const item = `/collections/${c}/items/${encodeURIComponent(r.item)}`;
    get(`/collections/${c}`);
    get(`/collections/${c}/items`);
    get(`/collections/${c}/items?limit=100`);
    get(item);
    get(`/collections/${c}/queryables`);
    get(`/collections/${c}/aggregate?${AGG}`);
    get(`/collections/${c}/aggregations`);
    for (const a of r.assets) for (const m of ["GET", "HEAD"]) get(`${item}/assets/${a}`, m);
    get(`${item}/files`);
    if (r.file) for (const m of ["GET", "HEAD"]) get(`${item}/files/${r.file}`, m);
  }
  for (const q of queryVariants(r.collection)) {
    get(`/search?collections=${q}`);
    get(`/search?collections=${q}&ids=${encodeURIComponent(r.item)}`);
    get(`/search?collections=${q}&limit=100&sortby=-datetime`);
    get(`/aggregate?collections=${q}&${AGG}`);
    get(`/search?filter=${encodeURIComponent("collection = '")}${q}${encodeURIComponent("'")}`);
  }
  for (const b of bodyVariants(r.collection)) {
    post("/search", { collections: b });
    post("/search", { collections: b, ids: [r.item] });
    post("/aggregate", { collections: b, aggregations: AGG_BODY });
    const name = Array.isArray(b) ? b[0] : b;
    post("/search", {
      filter: { op: "=", args: [{ property: "collection" }, name] },
      "filter-lang": "cql2-json",
    });
  }
  // DHuS: the product by UUID in a few spellings; its metadata, value, nodes and quicklook.
  for (const u of unique([r.uuid, r.uuid.toUpperCase(), ` ${r.uuid}`])) {
    const p = `/dhus/odata/v1/Products('${encodeURIComponent(u)}')`;
    get(p);
    get(`${p}?$expand=Attributes&$format=json`);
    get(`${p}/Attributes`);
    get(`${p}/Checksum`);
    get(`${p}/Online/$value`);
    for (const m of ["GET", "HEAD"]) get(`${p}/$value`, m);
    get(`${p}/Nodes`);
    get(`${p}/Products('Quicklook')/$value`);
    if (r.root && r.file)
      for (const m of ["GET", "HEAD"]) get(`${p}/Nodes('${r.root}')/Nodes('${r.file}')/$value`, m);
  }
  get(`/dhus/search?q=${encodeURIComponent(`identifier:${r.item}`)}&format=json`);
  get(`/dhus/search?q=${encodeURIComponent(r.item)}&format=json`);
  get(`/search?ids=${encodeURIComponent(r.item)}`);
  post("/search", { ids: [r.item] });
  return out;
}

/** Routes that name no collection: they must show only what the caller may see. */
export function namelessProbes(who: Who, keyword: string): Probe[] {
  const paths = [
    "/",
    "/collections",
    "/collections?limit=1",
    `/collections?q=${keyword}`,
    "/collections?q=partner",
    "/collections?q=sentinel",
    "/collections?bbox=-180,-90,180,90",
    "/search",
    "/search?limit=100",
    `/search?q=${keyword}`,
    "/search?sortby=-eo:cloud_cover&limit=100",
    `/aggregate?${AGG}`,
    "/aggregations",
    "/queryables",
    "/dhus/search?q=*&format=json&rows=100",
    "/dhus/search?q=*&rows=100",
    "/dhus/search?q=platformname:Sentinel-2&format=json",
    "/admin/failures",
    "/admin/stats/downloads?from=2020-01-01&to=2030-12-31",
    "/admin/stats/top-products?limit=100",
    "/admin/stats/users",
    "/admin/stats/search-params",
  ];
  return [
    ...paths.map((path): Probe => ({ who, kind: "restricted", method: "GET", path })),
    { who, kind: "restricted", method: "POST", path: "/search", body: { limit: 100 } },
    { who, kind: "restricted", method: "POST", path: "/aggregate", body: { aggregations: AGG_BODY } },
  ];
}

/** Downloads through items whose hrefs point at objects that are not theirs. */
export function foreignProbes(
  who: Who,
  items: { collection: string; item: string; assets: string[]; uuid?: string; file?: string }[],
): Probe[] {
  const out: Probe[] = [];
  for (const i of items) {
    const base = `/collections/${i.collection}/items/${encodeURIComponent(i.item)}`;
    for (const a of i.assets)
      for (const m of ["GET", "HEAD"])
        out.push({ who, kind: "foreign", method: m, path: `${base}/assets/${a}` });
    out.push({ who, kind: "foreign", method: "GET", path: `${base}/files` });
    if (i.file) out.push({ who, kind: "foreign", method: "GET", path: `${base}/files/${i.file}` });
    if (i.uuid)
      for (const tail of ["$value", "Nodes"])
        out.push({
          who,
          kind: "foreign",
          method: "GET",
          path: `/dhus/odata/v1/Products('${i.uuid}')/${tail}`,
        });
  }
  return out;
}

/** Writes that must be refused: foreign hrefs for anyone, restricted collections for outsiders. */
export function writeProbes(
  who: Who,
  o: {
    collection: string;
    existing: string;
    hrefs: string[];
    restricted: Restricted[];
    bucket: string;
    item: (id: string, href: string) => unknown;
  },
): Probe[] {
  const out: Probe[] = [];
  const json = "application/json";
  o.hrefs.forEach((href, n) => {
    const id = `probe-${who.name}-${n}`;
    out.push({
      who,
      kind: "write",
      method: "POST",
      path: `/collections/${o.collection}/items`,
      body: o.item(id, href),
      contentType: json,
    });
    const bulk = { type: "FeatureCollection", features: [o.item(`${id}-bulk`, href)] };
    out.push({
      who,
      kind: "write",
      method: "POST",
      path: `/collections/${o.collection}/items`,
      body: bulk,
      contentType: json,
    });
    const path = `/collections/${o.collection}/items/${o.existing}`;
    out.push({ who, kind: "write", method: "PUT", path, body: o.item(o.existing, href), contentType: json });
    const patch = { assets: { data: { href } } };
    out.push({
      who,
      kind: "write",
      method: "PATCH",
      path,
      body: patch,
      contentType: "application/merge-patch+json",
    });
  });
  if (!who.entitled)
    for (const r of o.restricted)
      for (const c of pathVariants(r.collection)) {
        const href = `s3://${o.bucket}/${r.collection}/probe.txt`;
        const item = `/collections/${c}/items/${encodeURIComponent(r.item)}`;
        out.push({
          who,
          kind: "restricted",
          method: "POST",
          path: `/collections/${c}/items`,
          body: o.item(`w-${who.name}`, href),
          contentType: json,
        });
        out.push({
          who,
          kind: "restricted",
          method: "PATCH",
          path: item,
          body: { properties: { probed: true } },
          contentType: json,
        });
        out.push({
          who,
          kind: "restricted",
          method: "PUT",
          path: `/collections/${c}`,
          body: { type: "Collection", id: r.collection, description: "x", license: "x", links: [] },
          contentType: json,
        });
      }
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
