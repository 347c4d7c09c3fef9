// Turns s3rver's object events into the notifications S3 sends on AWS: same event filter, keys
// URL-encoded as S3 encodes them, and a sequencer that strictly grows per key.
import { encodeEventKey, INGEST_EVENT_PREFIXES } from "../../shared/ingest/events.ts";

interface S3rverEvent {
  Records: {
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; sequencer?: string } };
  }[];
}

let last = 0n;
function nextSequencer(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  last = now > last ? now : last + 1n;
  return last.toString(16).toUpperCase();
}

export function toAwsNotification(event: S3rverEvent, bucket: string): string | undefined {
  const records = event.Records.filter(
    (r) => r.s3.bucket.name === bucket && INGEST_EVENT_PREFIXES.some((p) => r.eventName.startsWith(p)),
  ).map((r) => ({
    ...r,
    s3: {
      ...r.s3,
      object: { ...r.s3.object, key: encodeEventKey(r.s3.object.key), sequencer: nextSequencer() },
    },
  }));
  return records.length > 0 ? JSON.stringify({ Records: records }) : undefined;
}
