// The two emulators, in this process: dynalite for DynamoDB and s3rver for S3, persisting under a
// data directory so that a restart keeps everything.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import dynalite from "dynalite";
import S3rver from "s3rver";

/** The emulators' credentials, frozen: the SDK annotates credential objects it is handed. */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
/** A fresh copy for an SDK client. */
export const localCredentials = () => ({ ...LOCAL_CREDENTIALS });

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
}): Promise<Emulators> {
  const dynamoDir = join(opts.dataDir, "dynamodb");
  const s3Dir = join(opts.dataDir, "s3");
  mkdirSync(dynamoDir, { recursive: true });
  mkdirSync(s3Dir, { recursive: true });
  const dyn = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dynamoDir }) as Server;
  const dynamoPort = await listen(dyn, opts.dynamoPort);
  // s3rver's run() never settles when its port is taken (the error is emitted, not passed on): a port
  // in use is found here first, as the error npm start names the setting for.
  if (opts.s3Port !== 0) {
    const probe = createServer();
    await listen(probe, opts.s3Port);
    await new Promise((r) => probe.close(r));
  }
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
      await new Promise<void>((r) => dyn.close(() => r()));
    },
  };
}
