// dynalite in a child process of its own (dynalite-child.cjs), for npm start: the emulator's CPU then
// runs beside the API's instead of on the API's one thread, as DynamoDB runs beside a Lambda.
import { type ChildProcess, fork } from "node:child_process";
import { createServer } from "node:net";

/** Where dynalite runs: in the stack's process, or in a child process of its own. */
export type DynamoProcess = "in-process" | "child";

/** A port is free on 127.0.0.1 (0 always is): a port in use rejects with EADDRINUSE, as listen does. */
export async function probePort(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(port, "127.0.0.1", () => resolve());
  });
  await new Promise((r) => probe.close(r));
}

export interface DynamoChild {
  port: number;
  process: ChildProcess;
  /** Stops the child (its server closes, LevelDB's lock is released) and resolves once it has exited. */
  close(): Promise<void>;
}

/** dynalite on `port` (0: one picked by the child) over the store in `path`; resolves once it listens. */
export async function startDynamoChild(path: string, port: number): Promise<DynamoChild> {
  await probePort(port);
  const script = new URL("./dynalite-child.cjs", import.meta.url);
  const child = fork(script, ["--port", String(port), "--path", path], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // Plain Node: not the parent's loader flags (tsx), which the CommonJS script does not need.
    execArgv: [],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const listening = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`dynalite exited (${code}) before it listened`)));
    child.once("message", (m: { port?: number; error?: string }) =>
      m.port !== undefined
        ? resolve(m.port)
        : reject(Object.assign(new Error(`dynalite: ${m.error}`), { code: m.error, port })),
    );
  });
  return {
    port: listening,
    process: child,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
