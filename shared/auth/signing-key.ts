// The key that signs short-lived links: from configuration on AWS; locally, a random key kept in the
// data directory so links survive a restart of `npm start`.

import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A key given as at least 64 hex digits or 44 base64 characters (32 bytes). */
export function parseSigningKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]+$/i.test(t) && t.length % 2 === 0 ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length < 32) throw new Error("the href signing key must hold at least 32 bytes (64 hex digits)");
  return key;
}

export function localSigningKey(dataDir: string): Buffer {
  const file = join(dataDir, "signing-key");
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  return parseSigningKey(readFileSync(file, "utf8"));
}

/** A key for one purpose derived from a stack's secret, so that one secret can key several signers. */
export const derivedKey = (secret: string, purpose: string): Buffer =>
  createHmac("sha256", secret).update(`hexarchive/${purpose}`).digest();
