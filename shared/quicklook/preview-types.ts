// Which previews a client can show as they are, and which are converted to a JPEG quicklook first
// (JPEG 2000 in a browser; anything but JPEG for DHuS clients). Served by shared/download/serve-quicklook.ts.

/** Types browsers show in an <img>. */
const BROWSER_IMAGES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]);
/** Types renderQuicklook reads. */
const CONVERTIBLE = new Set(["image/jpeg", "image/png", "image/jp2", "image/jpx", "image/j2k"]);

const baseType = (t: string) => t.split(";")[0]!.trim().toLowerCase();

/** Whether a preview can be turned into a JPEG quicklook. */
export const canRenderQuicklook = (contentType: string | undefined) =>
  contentType !== undefined && CONVERTIBLE.has(baseType(contentType));

/** The media type a preview asset of this type is served as through the API (STAC clients show it). */
export function servedPreviewType(contentType: string): string {
  const type = baseType(contentType);
  return CONVERTIBLE.has(type) && !BROWSER_IMAGES.has(type) ? "image/jpeg" : contentType;
}

/** What a download target says about a preview (shared/download/targets.ts). */
export interface PreviewRequest {
  contentType: string;
  preview: boolean;
  /** A client that takes nothing but JPEG (DHuS quicklooks). */
  jpegOnly?: boolean | undefined;
}

/** Whether a preview target must be converted before it is answered. */
export function needsQuicklook(t: PreviewRequest): boolean {
  const type = baseType(t.contentType);
  if (!t.preview || !CONVERTIBLE.has(type)) return false;
  return t.jpegOnly ? type !== "image/jpeg" : !BROWSER_IMAGES.has(type);
}
