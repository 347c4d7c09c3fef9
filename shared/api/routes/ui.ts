// The search page: `/` answers browsers with the page and everyone else with the STAC landing JSON,
// and `/ui/{file}` serves the page's hashed assets.
import { NotFoundError } from "../../errors.ts";
import type { HttpRequest, HttpResponse } from "../../http/types.ts";
import type { ApiDeps } from "../deps.ts";
import type { UiAssets } from "../ui-assets.ts";
import { contentSecurityPolicy, originOf, UI_SECURITY_HEADERS } from "../ui-security.ts";
import { landing } from "./core.ts";

export const UI_PREFIX = "/ui";

/**
 * Whether the caller prefers HTML: the media range it ranks first (by q, then by order) is text/html or
 * XHTML. Browsers' navigations send that; STAC clients send application/json, fetch and curl send * / *.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(",").map((part, i) => {
    const [type = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { type: type.trim(), q: q ? Number(q.slice(2)) || 0 : 1, i };
  });
  ranges.sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranges[0];
  return (
    first !== undefined &&
    first.q > 0 &&
    (first.type === "text/html" || first.type === "application/xhtml+xml")
  );
}

/** `/`: the page for browsers (when this deployment carries it), the landing JSON for everyone else. */
export async function home(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const res =
    deps.ui && prefersHtml(req.headers["accept"])
      ? page(deps.ui, req, deps.settings.title, deps.settings.signIn)
      : await landing(deps, req);
  return { ...res, headers: { ...res.headers, vary: "accept" } };
}

/** `/ui/{file}`: a built asset; its name carries its content hash, so it never changes. */
export async function uiAsset(deps: ApiDeps, name: string): Promise<HttpResponse> {
  const f = deps.ui?.file(name);
  if (!f) throw new NotFoundError(`no page asset ${name}`);
  return {
    status: 200,
    headers: {
      "content-type": f.type,
      "cache-control": "public, max-age=31536000, immutable",
      ...UI_SECURITY_HEADERS,
    },
    binary: f.bytes,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(
  ui: UiAssets,
  req: HttpRequest,
  title = "hexarchive",
  signIn?: { issuer: string; clientId: string },
): HttpResponse {
  const base = escapeHtml(req.baseUrl);
  const asset = (f: string) => `${base}${UI_PREFIX}/${escapeHtml(f)}`;
  const oidc = signIn
    ? ` data-oidc-issuer="${escapeHtml(signIn.issuer)}" data-oidc-client="${escapeHtml(signIn.clientId)}"`
    : "";
  const tiles = ui.tiles
    ? ` data-tiles="${escapeHtml(ui.tiles.url)}" data-tiles-attribution="${escapeHtml(ui.tiles.attribution ?? "")}"`
    : "";
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}: search</title>
<link rel="stylesheet" href="${asset(ui.manifest.css)}">
<link rel="icon" href="data:,">
<link rel="alternate" type="application/json" href="${base}/" title="STAC landing page">
</head>
<body data-api="${base}" data-land="${asset(ui.manifest.land)}" data-countries="${asset(ui.manifest.countries)}"${tiles}${oidc}>
<header class="top"><h1>${escapeHtml(title)}</h1><p>Search the archive; the same search as STAC API calls is under each product.</p></header>
<main id="app"><noscript>This page needs JavaScript; the STAC API is at <a href="${base}/search">${base}/search</a>.</noscript></main>
<script type="module" src="${asset(ui.manifest.js)}"></script>
</body>
</html>
`;
  return {
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": contentSecurityPolicy(ui, signIn ? [originOf(signIn.issuer)] : []),
      ...UI_SECURITY_HEADERS,
    },
    body: html,
  };
}
