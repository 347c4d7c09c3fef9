// The local stack's paging-token key: random, made once and kept under the data directory, so that
// `next` links stay valid across restarts of `npm start` (on AWS the key is a Secrets Manager secret).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function localTokenKey(dataDir: string): Uint8Array {
  const file = join(dataDir, "paging-token.key");
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
    if (key.length >= 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600 });
  return key;
}
