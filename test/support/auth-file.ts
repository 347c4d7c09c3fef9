// One auth.json for the local issuer shared by the test files on this machine, so that each test's
// stack or app skips making an RSA key and hashing the demo users' passwords.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The local issuer's auth.json (RSA key, scrypt-hashed demo users) costs a few hundred milliseconds to
 * make; one copy per version of the issuer is kept in the temporary directory and handed to each data
 * directory. Every test's issuer still runs on its own port, so its tokens name their own issuer.
 */
export async function withCachedAuthFile<T>(dataDir: string, start: () => Promise<T>): Promise<T> {
  const version = createHash("sha256")
    .update(readFileSync(new URL("../../dev/local/auth-issuer.ts", import.meta.url)))
    .update(readFileSync(new URL("../../shared/auth/password-users.ts", import.meta.url)))
    .digest("hex")
    .slice(0, 16);
  const cached = join(tmpdir(), `hexarchive-test-auth-${version}.json`);
  const file = join(dataDir, "auth.json");
  if (existsSync(cached) && !existsSync(file)) copyFileSync(cached, file);
  const started = await start();
  if (!existsSync(cached) && existsSync(file)) {
    // Written beside and renamed: a parallel test file never reads half a file.
    const partial = `${cached}.${process.pid}`;
    copyFileSync(file, partial);
    renameSync(partial, cached);
  }
  return started;
}
