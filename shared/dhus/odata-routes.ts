// OData v1 resources of one product: the entity (with or without attributes), `$value` (the whole
// product), `Online`, `Checksum`, attributes, the quicklook, and the nodes inside the archive.

import type { Principal } from "../auth/principal.ts";
import { zipLocation } from "../download/member-stream.ts";
import { assetTarget } from "../download/targets.ts";
import { BadRequestError, NotFoundError } from "../errors.ts";
import { type HttpRequest, type HttpResponse, json } from "../http/types.ts";
import { canRenderQuicklook } from "../quicklook/preview-types.ts";
import { deletedProducts, findDeletedProduct, goneProduct } from "./deleted-products.ts";
import { type DhusDeps, hubBase } from "./deps.ts";
import { productUrl } from "./feed.ts";
import { findNode, openProductZip } from "./nodes.ts";
import { attributes, nodeJson, productJson } from "./odata.ts";
import { type DhusProduct, findProduct } from "./product.ts";
import { listProducts } from "./product-list.ts";

interface Segment {
  name: string;
  key?: string;
}

/** `Products('a')/Nodes('b''c')/$value` → segments; keys unquote `''`. */
export function parseODataPath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([A-Za-z$][\w$]*)(?:\('((?:[^']|'')*)'\))?(?:\/|$)/y;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) break;
    const seg: Segment = { name: m[1]! };
    if (m[2] !== undefined) seg.key = m[2].replace(/''/g, "'");
    out.push(seg);
  }
  if (re.lastIndex !== path.length && path !== "")
    throw new BadRequestError(`not an OData resource path: '${path}'`);
  return out;
}

const text = (body: string, type = "text/plain"): HttpResponse => ({
  status: 200,
  headers: { "content-type": type },
  body,
});
const invalidKey = (key: string) => new NotFoundError(`Invalid key (${key}) to access Products`);

export async function odataRoute(
  deps: DhusDeps,
  req: HttpRequest,
  principal: Principal,
  path: string,
): Promise<HttpResponse> {
  const [head, ...rest] = parseODataPath(path);
  if (head?.name === "DeletedProducts" && head.key === undefined && rest.length === 0)
    return deletedProducts(deps, req, (c) => deps.canSee(principal, c));
  if (head?.name === "Products" && head.key === undefined && rest.length === 0)
    return listProducts(deps, req, (c) => deps.canSee(principal, c));
  if (head?.name !== "Products" || head.key === undefined)
    throw new NotFoundError(`no such OData resource: ${path}`);
  const product = await findProduct(deps.catalogue, head.key);
  if (!product) {
    // Deleted with a cause: 410 for the product and everything under it; never ours: 404.
    const gone = await findDeletedProduct(deps, head.key);
    if (gone && deps.canSee(principal, gone.collection)) throw goneProduct(head.key, gone);
  }
  if (!product || !deps.canSee(principal, product.summary.collection)) throw invalidKey(head.key);
  const base = hubBase(req);
  const next = rest[0];
  if (!next) return json(200, productJson(base, product, /attributes/i.test(req.query["$expand"] ?? "")));
  if (next.name === "$value" && rest.length === 1) return productValue(deps, req, principal, product);
  if (next.name === "Online")
    return rest[1]?.name === "$value"
      ? text(String(product.archive !== undefined))
      : json(200, { d: { Online: true } });
  if (next.name === "Checksum")
    return json(200, { d: { Algorithm: "MD5", Value: product.archive?.md5 ?? null } });
  if (next.name === "Attributes") return attribute(base, product, rest.slice(1), next.key);
  if (next.name === "Products" && next.key === "Quicklook") return quicklook(deps, req, product);
  if (next.name === "Nodes") return node(deps, req, principal, product, rest);
  throw new NotFoundError(`no such OData resource: ${path}`);
}

async function productValue(
  deps: DhusDeps,
  req: HttpRequest,
  principal: Principal,
  p: DhusProduct,
): Promise<HttpResponse> {
  const a = p.archive;
  if (!a) throw new NotFoundError(`product ${p.uuid} has no archive to download`);
  deps.requireDownload(principal, p.summary.collection);
  await deps.requireOwned(archiveClaim(p));
  // sentinelsat reads the file name from HEAD and does not follow redirects there: answer it here.
  if (req.method === "HEAD") {
    return {
      status: 200,
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `inline;filename="${p.downloadName}"`,
        "content-length": String(a.size),
        "accept-ranges": "bytes",
      },
    };
  }
  // GET (and the `Range: bytes=0-1` online probe): 302 to a presigned URL, which honours Range (206).
  return deps.download(req, {
    collection: p.summary.collection,
    item: p.item.id,
    source: p.source,
    file: "product",
    bucket: a.bucket,
    key: a.key,
    filename: p.downloadName,
    contentType: "application/octet-stream",
    size: a.size,
    preview: false,
  });
}

const archiveClaim = (p: DhusProduct) => ({
  collection: p.summary.collection,
  item: p.item.id,
  source: p.source,
  bucket: p.archive?.bucket ?? "",
  key: p.archive?.key ?? "",
});

function attribute(
  base: string,
  p: DhusProduct,
  rest: { name: string }[],
  key: string | undefined,
): HttpResponse {
  const all = attributes(base, p);
  if (key === undefined) return json(200, { d: { results: all } });
  const found = all.find((a) => a.Name === key);
  if (!found) throw new NotFoundError(`Invalid key (${key}) to access Attributes`);
  if (rest[0]?.name === "Value" && rest[1]?.name === "$value") return text(found.Value);
  if (rest[0]?.name === "Value") return json(200, { d: { Value: found.Value } });
  return json(200, { d: found });
}

/**
 * The quicklook, always JPEG (sentinelsat refuses other types): a JPEG thumbnail as it is, a PNG or
 * JPEG 2000 one converted (shared/quicklook); none is a 404. Served like the STAC thumbnail asset.
 */
async function quicklook(deps: DhusDeps, req: HttpRequest, p: DhusProduct): Promise<HttpResponse> {
  const previews = Object.entries(p.item.assets).filter(
    ([, a]) => a.roles?.includes("thumbnail") || a.roles?.includes("overview"),
  );
  const found =
    previews.find(([, a]) => a.type === "image/jpeg") ?? previews.find(([, a]) => canRenderQuicklook(a.type));
  const target = found && assetTarget(p.item, p.source, found[0], found[1]);
  if (!target) throw new NotFoundError(`product ${p.uuid} has no quicklook (JPEG, PNG or JPEG 2000)`);
  return deps.download(req, { ...target, preview: true, jpegOnly: true });
}

async function node(
  deps: DhusDeps,
  req: HttpRequest,
  principal: Principal,
  p: DhusProduct,
  rest: Segment[],
): Promise<HttpResponse> {
  const names: string[] = [];
  let i = 0;
  for (; i < rest.length && rest[i]!.name === "Nodes" && rest[i]!.key !== undefined; i++)
    names.push(rest[i]!.key!);
  const tail = rest.slice(i).map((s) => s.name);
  // The archive's directory lists the product's files: read only when it is the item's own object.
  if (p.archive) await deps.requireOwned(archiveClaim(p));
  const zip = await openProductZip(deps.objects, p);
  const url = `${productUrl(hubBase(req), p.uuid)}/${names.map((n) => `Nodes('${n.replace(/'/g, "''")}')`).join("/")}`;
  if (names.length === 0) {
    // `Products('x')/Nodes`: the root folder.
    const root = zip.entries[0]?.name.split("/")[0] ?? "";
    return json(200, { d: { results: [nodeJson(`${url}Nodes('${root}')`, root, 0, 1)] } });
  }
  const hit = findNode(zip, names);
  if (!hit) throw new NotFoundError(`Invalid key (${names[names.length - 1]}) to access Nodes`);
  if (tail.length === 0) {
    const size = hit.kind === "file" ? hit.entry.size : 0;
    return json(200, { d: nodeJson(url, hit.name, size, hit.kind === "file" ? 0 : hit.children.length) });
  }
  if (tail[0] === "Nodes" && tail.length === 1 && hit.kind === "dir") {
    const children = hit.children.map((c) => {
      const child = findNode(zip, [...names, c]);
      const size = child?.kind === "file" ? child.entry.size : 0;
      return nodeJson(`${url}/Nodes('${c}')`, c, size, child?.kind === "dir" ? child.children.length : 0);
    });
    return json(200, { d: { results: children } });
  }
  if (tail[0] !== "$value" || hit.kind !== "file")
    throw new NotFoundError(`no such node resource: ${tail.join("/")}`);
  deps.requireDownload(principal, p.summary.collection);
  const headers = {
    "content-type": "application/octet-stream",
    "content-disposition": `inline;filename="${hit.name}"`,
  };
  if (req.method === "HEAD")
    return { status: 200, headers: { ...headers, "content-length": String(hit.entry.size) } };
  const e = hit.entry;
  return deps.download(req, {
    collection: p.summary.collection,
    item: p.item.id,
    source: p.source,
    file: `files/${names.slice(1).join("/")}`,
    bucket: p.archive!.bucket,
    key: p.archive!.key,
    member: zipLocation(e),
    filename: hit.name,
    contentType: "application/octet-stream",
    size: e.size,
    preview: false,
  });
}
