// The search page's security headers: a Content-Security-Policy the page works under (its own script and
// styles only, nothing inline, the API on the same origin), with a configured tile host and quicklook
// origins admitted only when there are some, plus the usual companions.
import type { UiOptions } from "./ui-assets.ts";

/** The scheme and host of a tile URL template; a `{s}` subdomain becomes a CSP wildcard. */
export function tileOrigin(template: string): string {
  const m = /^(https?:\/\/[^/?#]+)/i.exec(template);
  if (!m) throw new Error(`basemap tiles: '${template}' is not an http(s) URL template`);
  return m[1]!.replace(/\{[^}]*\}/g, "*");
}

/** The scheme, host and port of a URL (an OIDC issuer the page signs in with). */
export const originOf = (url: string): string => new URL(url).origin;

/** `connect` adds origins the page may call besides its own (the OIDC issuer, for discovery and tokens). */
export function contentSecurityPolicy(ui: UiOptions, connect: string[] = []): string {
  const images = ["'self'", "data:", "blob:", "https:", ...(ui.imageOrigins ?? [])];
  if (ui.tiles) images.push(tileOrigin(ui.tiles.url));
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Style attributes (a chart's colour swatch) but no style elements: none is needed, and CSS alone runs no code.
    "style-src-attr 'unsafe-inline'",
    `img-src ${[...new Set(images)].join(" ")}`,
    `connect-src ${["'self'", ...new Set(connect)].join(" ")}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers for every answer of the page and its assets. */
export const UI_SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};
