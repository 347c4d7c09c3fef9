// The two emulators, dynalite for DynamoDB and s3rver for S3, persisting under a data directory so
// that a restart keeps everything; s3rver in this process, dynalite here or in a child (dynamo-child.ts).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:net";
import { join } from "node:path";
import dynalite from "dynalite";
import S3rver from "s3rver";
import { type DynamoProcess, probePort, startDynamoChild } from "./dynamo-child.ts";

export type { DynamoProcess };

/** The emulators' credentials, frozen: the SDK annotates credential objects it is handed. */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
/** A fresh copy for an SDK client. */
export const localCredentials = () => ({ ...LOCAL_CREDENTIALS });

/** An S3 emulator two local stacks share, as two deployments share S3 on AWS (each with its own bucket). */
export interface SharedS3 {
  s3rver: S3rver;
  endpoint: string;
}

export interface Emulators {
  dynamoEndpoint: string;
  s3Endpoint: string;
  s3rver: S3rver;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

export async function startEmulators(opts: {
  dataDir: string;
  dynamoPort: number;
  s3Port: number;
  /** Default "in-process"; "child" keeps the emulator's CPU off this process's thread. */
  dynamo?: DynamoProcess;
  /** Another stack's S3 emulator, used (not started, not closed) instead of one of our own. */
  s3?: SharedS3 | undefined;
}): Promise<Emulators> {
  const dynamoDir = join(opts.dataDir, "dynamodb");
  const s3Dir = join(opts.dataDir, "s3");
  mkdirSync(dynamoDir, { recursive: true });
  if (!opts.s3) {
    mkdirSync(s3Dir, { recursive: true });
    removeTornObjects(s3Dir);
  }
  let dynamoPort: number;
  let closeDynamo: () => Promise<void>;
  if (opts.dynamo === "child") {
    const child = await startDynamoChild(dynamoDir, opts.dynamoPort);
    dynamoPort = child.port;
    closeDynamo = child.close;
  } else {
    const dyn = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dynamoDir }) as Server;
    dynamoPort = await listen(dyn, opts.dynamoPort);
    closeDynamo = () => new Promise<void>((r) => dyn.close(() => r()));
  }
  if (opts.s3) {
    const shared = opts.s3;
    return {
      dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
      s3Endpoint: shared.endpoint,
      s3rver: shared.s3rver,
      close: closeDynamo,
    };
  }
  // s3rver's run() never settles when its port is taken (the error is emitted, not passed on): a port
  // in use is found here first, as the error npm start names the setting for.
  await probePort(opts.s3Port).catch(async (err: unknown) => {
    await closeDynamo();
    throw err;
  });
  const s3 = new S3rver({
    port: opts.s3Port,
    address: "127.0.0.1",
    silent: true,
    directory: s3Dir,
    allowMismatchedSignatures: false,
  });
  const { port: s3Port } = (await s3.run()) as { port: number };
  return {
    dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Port}`,
    s3rver: s3,
    async close() {
      await s3.close();
      await closeDynamo();
    },
  };
}

const OBJECT = "._S3rver_object";
const METADATA = "._S3rver_metadata.json";

/**
 * S3 writes objects atomically; s3rver does not. It writes the bytes, then their MD5 and metadata, in
 * place: a process killed in between leaves bytes without metadata (a new key) or bytes that no longer
 * match their MD5 (an overwrite), and listings fail on unreadable metadata. Such bytes are torn: the
 * object is removed, so that it is a deletion (reconcile removes its item) rather than a corrupt object.
 * Only objects written after their metadata are hashed (s3rver may finish flushing the bytes a moment
 * after it wrote the metadata, so newer bytes alone prove nothing). A torn MD5 file is removed too
 * (s3rver computes it again).
 */
export function removeTornObjects(dir: string): number {
  let removed = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += removeTornObjects(path);
      continue;
    }
    // Files of one object are removed together: one listed earlier may be gone already.
    if (
      entry.name.endsWith(`${OBJECT}.md5`) &&
      existsSync(path) &&
      !/^[0-9a-f]{32}$/.test(readFileSync(path, "utf8"))
    )
      rmSync(path);
    if (!entry.name.endsWith(OBJECT) || !existsSync(path)) continue;
    const base = path.slice(0, -OBJECT.length);
    let torn: boolean;
    try {
      JSON.parse(readFileSync(`${base}${METADATA}`, "utf8"));
      torn = statSync(path).mtimeMs > statSync(`${base}${METADATA}`).mtimeMs && !matchesMd5(path);
    } catch {
      torn = true;
    }
    if (!torn) continue;
    for (const suffix of [OBJECT, `${OBJECT}.md5`, METADATA]) rmSync(`${base}${suffix}`, { force: true });
    removed++;
  }
  return removed;
}

function matchesMd5(objectPath: string): boolean {
  const md5Path = `${objectPath}.md5`;
  if (!existsSync(md5Path)) return true; // s3rver computes it from the bytes: nothing to compare
  return createHash("md5").update(readFileSync(objectPath)).digest("hex") === readFileSync(md5Path, "utf8");
}
