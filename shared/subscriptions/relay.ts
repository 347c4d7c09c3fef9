// Relay: a subscription whose target is another bucket gets each matching product copied there
// server-side (CopyObject), under the same key after an optional prefix, with its provenance in the
// copy's metadata. Events are queued and retried like webhooks, and a copy is idempotent, so a relay
// interrupted anywhere resumes where it stopped.
import { CopyObjectCommand, type S3Client } from "@aws-sdk/client-s3";
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

export type RelayCopier = (c: RelayCopy) => Promise<void>;

/** The copies one event asks for: every `s3://` asset of the item (none for deletions or events without it). */
export function relayCopies(
  event: SubscriptionEvent,
  target: { bucket: string; prefix?: string | undefined },
  source: string,
): RelayCopy[] {
  if (!event.item || event.type === "item.deleted") return [];
  const out: RelayCopy[] = [];
  for (const asset of Object.values(event.item.assets)) {
    const m = S3_HREF.exec(asset.href);
    if (!m) continue;
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

export function s3RelayCopier(s3: S3Client): RelayCopier {
  return async (c) => {
    await s3.send(
      new CopyObjectCommand({
        Bucket: c.targetBucket,
        Key: c.targetKey,
        CopySource: `${c.sourceBucket}/${c.sourceKey.split("/").map(encodeURIComponent).join("/")}`,
        MetadataDirective: "REPLACE",
        Metadata: c.metadata,
      }),
    );
  };
}
