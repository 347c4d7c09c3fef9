// Downloads one file resumably: bytes go to `<name>.part`, a later run (or a retry after a dropped
// connection) asks for the rest with Range, and the file gets its own name only once its size and
// checksum (when known) are right. Waits on 202/429/503 as Retry-After says; can cap its rate.
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { CliError } from "../errors.ts";
import { type Api, apiError, sleep } from "../http.ts";
import type { PlannedFile } from "./plan.ts";

export interface FetchEvents {
  /** Bytes already on disk when the transfer (re)starts, and the total if known. */
  start(have: number, total: number | undefined): void;
  progress(bytes: number): void;
  retry(why: string, waitMs: number): void;
}

export type FetchOutcome = {
  status: "downloaded" | "complete";
  bytes: number;
  verified?: string | undefined;
};

const ALGORITHMS: Record<string, string> = {
  "sha-256": "sha256",
  "sha-1": "sha1",
  "sha-512": "sha512",
  md5: "md5",
};

/** The path a list's name gives, refused when it would leave the output folder. */
export function targetPath(outDir: string, name: string): string {
  const n = normalize(name);
  if (isAbsolute(n) || n.split(/[\\/]/).includes("..") || n === ".")
    throw new CliError(`refusing file name '${name}': it leaves the output folder`);
  return join(outDir, n);
}

async function fileHash(path: string, algorithm: string): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** The first checksum of the file we can compute: undefined when it matches or none is known, else why not. */
async function checkHash(path: string, f: PlannedFile): Promise<{ bad?: string; verified?: string }> {
  const known = f.hashes.find(([a]) => ALGORITHMS[a]);
  if (!known) return {};
  const got = await fileHash(path, ALGORITHMS[known[0]]!);
  return got === known[1] ? { verified: known[0] } : { bad: `${known[0]} is ${got}, expected ${known[1]}` };
}

export async function fetchFile(
  api: Api,
  f: PlannedFile,
  outDir: string,
  o: { rateLimit?: number | undefined; events: FetchEvents },
): Promise<FetchOutcome> {
  const final = targetPath(outDir, f.name);
  const part = `${final}.part`;
  mkdirSync(dirname(final), { recursive: true });
  if (existsSync(final) && (f.size === undefined || statSync(final).size === f.size)) {
    const h = await checkHash(final, f);
    if (!h.bad) return { status: "complete", bytes: statSync(final).size, verified: h.verified };
  }
  let failures = 0;
  let badChecksums = 0;
  for (;;) {
    let have = existsSync(part) ? statSync(part).size : 0;
    if (f.size !== undefined && have > f.size) {
      truncateSync(part, 0);
      have = 0;
    }
    try {
      const complete = f.size !== undefined && have === f.size && have > 0;
      if (!complete) await transfer(api, f, part, have, o);
      if (f.size !== undefined && statSync(part).size !== f.size)
        throw new Retry(`got ${statSync(part).size} bytes, expected ${f.size}`);
      const h = await checkHash(part, f);
      if (h.bad) {
        unlinkSync(part);
        if (++badChecksums > 1) throw new CliError(`checksum mismatch: ${h.bad}`);
        o.events.retry(`checksum mismatch (${h.bad}); downloading again`, 0);
        continue;
      }
      renameSync(part, final);
      return { status: "downloaded", bytes: statSync(final).size, verified: h.verified };
    } catch (e) {
      if (!(e instanceof Retry) || failures >= api.config.retries)
        throw e instanceof Retry ? new CliError(e.message) : e;
      const wait = api.backoff(failures++);
      o.events.retry(e.message, wait);
      await sleep(wait);
    }
  }
}

/** A failure worth resuming after (a dropped connection, a short body). */
class Retry extends Error {}

async function transfer(
  api: Api,
  f: PlannedFile,
  part: string,
  have: number,
  o: { rateLimit?: number | undefined; events: FetchEvents },
): Promise<void> {
  const res = await api.fetch(f.url, {
    retryAccepted: true,
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    onRetry: (why, ms) => o.events.retry(why, ms),
  });
  if (res.status === 416) {
    await res.body?.cancel();
    truncateSync(part, 0);
    throw new Retry("the server refused the resume range; starting again");
  }
  if (!res.ok) throw await apiError(res);
  let from = 0;
  if (res.status === 206) {
    const start = Number(/bytes (\d+)-/.exec(res.headers.get("content-range") ?? "")?.[1] ?? -1);
    if (start !== have) {
      await res.body?.cancel();
      truncateSync(part, 0);
      throw new Retry(`the server resumed at byte ${start}, not ${have}; starting again`);
    }
    from = have;
  }
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  o.events.start(from, f.size ?? (Number.isFinite(length) ? from + length : undefined));
  const fh = await open(part, from > 0 ? "a" : "w");
  const started = Date.now();
  let got = 0;
  try {
    if (!res.body) return;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await fh.write(chunk);
      got += chunk.length;
      o.events.progress(chunk.length);
      if (o.rateLimit) {
        const ahead = (got / o.rateLimit) * 1000 - (Date.now() - started);
        if (ahead > 0) await sleep(ahead);
      }
    }
  } catch (e) {
    throw new Retry(`connection lost after ${from + got} bytes (${(e as Error).message})`);
  } finally {
    await fh.close();
  }
  if (Number.isFinite(length) && got !== length) throw new Retry(`short body: ${got} of ${length} bytes`);
}
