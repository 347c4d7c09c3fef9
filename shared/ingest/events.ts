// S3 event notifications as the ingest domain sees them.

export interface ObjectEvent {
  /** "sync": reconcile asks for the object's current state to be applied, whatever happened before. */
  kind: "created" | "removed" | "sync";
  bucket: string;
  key: string;
  /** S3's per-key ordering token, left-padded so that string order is event order. */
  sequencer: string;
  size?: number;
  etag?: string;
  time: string;
}

interface S3Record {
  eventName?: string;
  eventTime?: string;
  s3?: {
    bucket?: { name?: string };
    object?: { key?: string; size?: number; eTag?: string; sequencer?: string };
  };
}

export const padSequencer = (s: string) => s.padStart(32, "0");

/** Records of an S3 notification body; a test event or an unrelated record gives none. */
export function parseS3Notification(body: unknown): ObjectEvent[] {
  const records = (body as { Records?: S3Record[] } | null)?.Records;
  if (!Array.isArray(records)) return [];
  const out: ObjectEvent[] = [];
  for (const r of records) {
    const name = r.eventName ?? "";
    const kind = name.startsWith("ObjectCreated")
      ? "created"
      : name.startsWith("ObjectRemoved")
        ? "removed"
        : name === RESYNC_EVENT
          ? "sync"
          : undefined;
    const bucket = r.s3?.bucket?.name;
    const rawKey = r.s3?.object?.key;
    if (!kind || !bucket || rawKey === undefined) continue;
    // S3 URL-encodes keys in notifications, with '+' for spaces.
    const key = decodeURIComponent(rawKey.replace(/\+/g, " "));
    const ev: ObjectEvent = {
      kind,
      bucket,
      key,
      sequencer: padSequencer(r.s3?.object?.sequencer ?? "0"),
      time: r.eventTime ?? new Date().toISOString(),
    };
    if (r.s3?.object?.size !== undefined) ev.size = r.s3.object.size;
    if (r.s3?.object?.eTag) ev.etag = r.s3.object.eTag;
    out.push(ev);
  }
  return out;
}

/** The notifications the products bucket sends to ingest, on AWS and in the local stack alike. */
export const INGEST_EVENT_PREFIXES = ["ObjectCreated:", "ObjectRemoved:"] as const;

/** S3's key encoding in notifications: URL-encoded, spaces as '+'. */
export const encodeEventKey = (key: string) =>
  encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");

/** Event name of the records reconcile sends through the ingest queue (S3 never sends it). */
export const RESYNC_EVENT = "hexarchive:Resync";

/** A queue message asking ingest to apply these objects' current state (shaped as S3's notifications). */
export function resyncNotification(bucket: string, keys: string[]): string {
  return JSON.stringify({
    Records: keys.map((key) => ({
      eventName: RESYNC_EVENT,
      eventTime: new Date().toISOString(),
      s3: { bucket: { name: bucket }, object: { key: encodeEventKey(key) } },
    })),
  });
}
