// Webhook signatures: HMAC-SHA256 with the subscription's secret over `<unix seconds>.<body>`, sent as
// `X-Hexarchive-Signature: t=<unix seconds>,v1=<hex>`, so that a receiver can check both the body and
// its age (a replayed old body fails the age test).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-hexarchive-signature";
export const EVENT_ID_HEADER = "x-hexarchive-event-id";

export function signBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** True when the header signs this body with this secret and is at most `toleranceSeconds` old. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  o: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) return false;
  const t = Number(m[1]);
  const now = o.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (o.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signBody(secret, body, t).slice(-64), "hex");
  return timingSafeEqual(expected, Buffer.from(m[2]!, "hex"));
}
