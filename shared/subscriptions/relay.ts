// Relay: a subscription whose target is another bucket gets each matching product copied there
// server-side (CopyObject), under the same key after an optional prefix, with its provenance in the
// copy's metadata. Events are queued and retried like webhooks, and a copy already in place (same ETag,
// same source) is not made again, so a relay interrupted anywhere resumes where it stopped.
import { CopyObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { SubscriptionEvent } from "./events.ts";

const S3_HREF = /^s3:\/\/([^/]+)\/(.+)$/;

export interface RelayCopy {
  sourceBucket: string;
  sourceKey: string;
  targetBucket: string;
  targetKey: string;
  /** Provenance, stored as the copy's user metadata. */
  metadata: Record<string, string>;
}

export interface RelayCopier {
  /** The bytes still to copy: the source's size, or undefined when the target already holds this copy. */
  pending(c: RelayCopy): Promise<number | undefined>;
  copy(c: RelayCopy): Promise<void>;
}

/**
 * The copies one event asks for: every `s3://` object the item's assets name, once (a zipped product's
 * member assets all name the zip); none for deletions or events without an item.
 */
export function relayCopies(
  event: SubscriptionEvent,
  target: { bucket: string; prefix?: string | undefined },
  source: string,
): RelayCopy[] {
  if (!event.item || event.type === "item.deleted") return [];
  const out: RelayCopy[] = [];
  const seen = new Set<string>();
  for (const asset of Object.values(event.item.assets)) {
    const m = S3_HREF.exec(asset.href);
    if (!m || seen.has(asset.href)) continue;
    seen.add(asset.href);
    out.push({
      sourceBucket: m[1]!,
      sourceKey: decodeURIComponent(m[2]!),
      targetBucket: target.bucket,
      targetKey: `${target.prefix ?? ""}${decodeURIComponent(m[2]!)}`,
      metadata: {
        "hexarchive-source": `${source}/collections/${event.collection}/items/${event.item_id}`,
        "hexarchive-source-object": asset.href,
        "hexarchive-version": event.version,
        "hexarchive-event": event.id,
      },
    });
  }
  return out;
}

async function head(s3: S3Client, bucket: string, key: string) {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return undefined;
    throw err;
  }
}

/**
 * Copies within one S3 endpoint (on AWS: any two buckets the function may read and write). A target
 * with the source's ETag and the same source object is this copy already: it is not made again (a
 * repeated copy would also make the downstream catalogue ingest it again).
 */
export function s3RelayCopier(s3: S3Client): RelayCopier {
  return {
    async pending(c) {
      const [source, target] = await Promise.all([
        head(s3, c.sourceBucket, c.sourceKey),
        head(s3, c.targetBucket, c.targetKey),
      ]);
      if (!source) throw new Error(`relay source s3://${c.sourceBucket}/${c.sourceKey} is gone`);
      const same =
        target !== undefined &&
        target.ETag === source.ETag &&
        target.Metadata?.["hexarchive-source-object"] === c.metadata["hexarchive-source-object"];
      return same ? undefined : (source.ContentLength ?? 0);
    },
    async copy(c) {
      await s3.send(
        new CopyObjectCommand({
          Bucket: c.targetBucket,
          Key: c.targetKey,
          CopySource: `${c.sourceBucket}/${c.sourceKey.split("/").map(encodeURIComponent).join("/")}`,
          MetadataDirective: "REPLACE",
          Metadata: c.metadata,
        }),
      );
    },
  };
}
