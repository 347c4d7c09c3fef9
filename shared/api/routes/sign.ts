// GET /sign?href=<url>: a signed-in caller's short-lived link that needs no credentials (as large public
// STAC services offer). An asset URL gives an asset link and a URL of a file inside a product a file link
// (the caller must be able to download either); a search or items URL gives a read link whose results
// carry signed asset links (GDAL's STACIT: driver).
import { accessOf } from "../../auth/authorize.ts";
import { principalOf } from "../../auth/principal.ts";
import { SIGNATURE_PARAM, withSignature } from "../../auth/signed-hrefs.ts";
import { BadRequestError, NotFoundError, UnauthorizedError } from "../../errors.ts";
import { type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import type { ApiDeps } from "../deps.ts";

const ASSET = /^\/collections\/([^/]+)\/items\/([^/]+)\/assets\/([^/]+)\/?$/;
const FILE = /^\/collections\/([^/]+)\/items\/([^/]+)\/files\/(.+)$/;
const READ = [/^\/search\/?$/, /^\/collections\/[^/]+\/items\/?$/, /^\/collections\/[^/]+\/items\/[^/]+\/?$/];

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    throw new BadRequestError(`path segment '${seg}' of 'href' is not valid percent-encoding`);
  }
}

export async function signHref(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const signer = deps.auth?.signer;
  if (!signer) throw new NotFoundError("this deployment hands out no signed links");
  // Credentials only: a signed link cannot mint others.
  const principal = principalOf(req);
  if (!principal) throw new UnauthorizedError("sign in to get signed links");
  const raw = req.query["href"];
  if (!raw) throw new BadRequestError("parameter 'href' is required: the asset or search URL to sign");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequestError("parameter 'href' must be an absolute URL of this API");
  }
  const base = new URL(`${req.baseUrl}/`);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname))
    throw new BadRequestError(`parameter 'href' must be a URL of this API (${req.baseUrl}/…)`);
  url.searchParams.delete(SIGNATURE_PARAM);
  const path = url.pathname.slice(base.pathname.length - 1);
  const clean = url.toString();
  const asset = ASSET.exec(path);
  if (asset) {
    const binding = { collection: decode(asset[1]!), item: decode(asset[2]!), asset: decode(asset[3]!) };
    accessOf(deps.auth?.policy, req).requireDownload(binding.collection);
    const { token, expires } = signer.signAsset(principal, binding);
    return answer(withSignature(clean, token), expires);
  }
  const file = FILE.exec(path);
  if (file) {
    const binding = {
      collection: decode(file[1]!),
      item: decode(file[2]!),
      path: file[3]!.split("/").map(decode).join("/"),
    };
    accessOf(deps.auth?.policy, req).requireDownload(binding.collection);
    const { token, expires } = signer.signFile(principal, binding);
    return answer(withSignature(clean, token), expires);
  }
  if (READ.some((r) => r.test(path))) {
    const { token, expires } = signer.signRead(principal);
    return answer(withSignature(clean, token), expires);
  }
  throw new BadRequestError(
    "parameter 'href' must be an asset URL (…/collections/{c}/items/{i}/assets/{a}), a file URL (…/items/{i}/files/{path}), /search or a collection's items",
  );
}

function answer(href: string, expires: number): HttpResponse {
  return json(
    200,
    { href, expires: new Date(expires * 1000).toISOString() },
    { "cache-control": "no-store" },
  );
}
