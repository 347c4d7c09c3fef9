// How asset links are written for one caller: signed (shared/auth/signed-hrefs.ts) when a signed-in
// caller may download the collection, so tools that cannot keep credentials away from S3 (GDAL) read
// them as they are; marked with the STAC Authentication `auth:refs` wherever downloads need sign-in.
import { allowed } from "../auth/access-policy.ts";
import type { Access } from "../auth/authorize.ts";
import { withSignature } from "../auth/signed-hrefs.ts";
import { ASSET_AUTH_REFS } from "../stac/auth-schemes.ts";
import type { ApiDeps } from "./deps.ts";
import type { AssetLinks } from "./present.ts";

export function assetLinksFor(deps: ApiDeps, access: Access): AssetLinks {
  const signer = deps.auth?.signer;
  const principal = access.principal;
  const links: AssetLinks = {
    refs: (c) => (allowed(access.policy, undefined, c, "download") ? undefined : ASSET_AUTH_REFS),
  };
  if (signer && principal) {
    links.sign = (href, collection, item, asset) =>
      access.canDownload(collection)
        ? withSignature(href, signer.signAsset(principal, { collection, item, asset }).token)
        : undefined;
  }
  return links;
}
