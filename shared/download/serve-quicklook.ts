// Previews that a client cannot show as they are (JPEG 2000 in a browser; anything but JPEG for DHuS
// clients: shared/quicklook/preview-types.ts) are answered with a JPEG rendering instead: converted once per product version and kept in
// the download cache beside extracted members (the key carries the product's ETag), then answered
// inline when small or by a presigned URL of the cached copy, like any member.
import { createHash } from "node:crypto";
import { NotFoundError, ProductError } from "../errors.ts";
import { type HttpResponse, redirect } from "../http/types.ts";
import { renderQuicklook } from "../quicklook/render.ts";
import type { Presigner } from "../storage/presigner.ts";
import { collect, memberChunks } from "./member-stream.ts";
import type { DownloadServices } from "./services.ts";
import type { DownloadTarget } from "./targets.ts";

/** What serving a quicklook needs: the download services (cache, object reads) and the presigner. */
export interface QuicklookDeps {
  presigner: Presigner;
  downloads?: DownloadServices | undefined;
}

/** Previews are small (Sentinel-1's quick-look.png about 1 MB); refuse to pull anything huge into memory. */
const MAX_PREVIEW_BYTES = 64 * 1024 * 1024;
/** Part of the cache key: a new rendering (size, quality) must not be answered by old copies. */
const RENDERING = "q1-512";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

export async function serveQuicklook(
  deps: QuicklookDeps,
  t: DownloadTarget,
  expiresIn: number,
): Promise<HttpResponse> {
  const d = deps.downloads;
  if (!d)
    throw new NotFoundError(
      `the preview of '${t.item}' is ${t.contentType}; converting it needs the download services, which this deployment lacks`,
    );
  const store = d.objects(t.bucket);
  const info = await store.head(t.key);
  if (!info) throw new NotFoundError(`the product object of '${t.item}' is missing from storage`);
  const filename = `${t.filename.replace(/\.[^.]*$/, "")}.jpg`;
  const source = `${t.bucket}/${t.key}#${info.etag ?? info.size}#${t.member?.path ?? ""}#${RENDERING}`;
  const cacheKey = `quicklooks/${sha(source).slice(0, 40)}/${filename}`;
  const cached = d.objects(d.cache.bucket);
  const inline = (jpeg: Uint8Array): HttpResponse => ({
    status: 200,
    headers: {
      "content-type": "image/jpeg",
      "content-disposition": `inline; filename="${filename.replace(/["\\\r\n]/g, "_")}"`,
      "cache-control": "private, max-age=300",
    },
    binary: jpeg,
  });
  const presigned = async () =>
    redirect(
      await deps.presigner.presignGet(d.cache.bucket, cacheKey, {
        expiresIn,
        filename,
        disposition: "inline",
        contentType: "image/jpeg",
      }),
    );

  const copy = await cached.head(cacheKey);
  if (copy)
    return copy.size <= d.settings.inlineMaxBytes ? inline(await cached.getObject(cacheKey)) : presigned();

  const size = t.member?.size ?? info.size;
  if (size > MAX_PREVIEW_BYTES)
    throw new ProductError(
      `the preview of '${t.item}' (${size} bytes) is too large to convert to a quicklook`,
    );
  const bytes = t.member ? await collect(memberChunks(store, t.key, t.member)) : await store.getObject(t.key);
  let jpeg: Uint8Array;
  try {
    jpeg = (await renderQuicklook(bytes)).jpeg;
  } catch (e) {
    if (!(e instanceof ProductError)) throw e;
    throw new ProductError(`the preview ${t.filename} of '${t.item}' cannot be shown: ${e.message}`, {
      cause: e,
    });
  }
  await d.cache.write(cacheKey, once(jpeg), "image/jpeg");
  return jpeg.length <= d.settings.inlineMaxBytes ? inline(jpeg) : presigned();
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
