// The local stack in a process of its own, so that the fault harness can kill it (SIGKILL) and start it
// again on the same data directory. Answers on a control port: GET /settled once everything sent so far
// is ingested (with the count of dead letters), POST /reconcile with the reconcile's report.
import { createServer } from "node:http";
import { startLocalStack } from "../../../dev/local/stack.ts";
import { type Logger, silentLogger } from "../../../shared/log.ts";

const o = JSON.parse(process.argv[2]!) as {
  dataDir: string;
  apiPort: number;
  s3Port: number;
  dynamoPort: number;
  controlPort: number;
  queue?: Record<string, number>;
};
const stack = await startLocalStack({
  dataDir: o.dataDir,
  apiPort: o.apiPort,
  s3Port: o.s3Port,
  dynamoPort: o.dynamoPort,
  presignSeconds: 300,
  // HEXARCHIVE_TEST_LOG=1 prints the stack's logs.
  log: process.env["HEXARCHIVE_TEST_LOG"] ? stderrLogger() : silentLogger,
  // Keys held by a killed process free up after 3 s; failed messages come back after 100 ms.
  queue: { visibilityTimeoutMs: 60_000, retryDelayMs: 100, maxReceiveCount: 10, leaseMs: 3_000, ...o.queue },
});
const control = createServer((req, res) => {
  const answer = (body: unknown) => res.end(JSON.stringify(body ?? {}));
  if (req.url === "/settled")
    void stack.settled().then(() => answer({ deadLettered: stack.queue.deadLettered }));
  // A stack without reconcile (an older build measured with the same harness) answers nothing.
  else if (req.url === "/reconcile")
    void (stack.reconcile ? stack.reconcile() : Promise.resolve({})).then(answer);
  else res.writeHead(404).end();
});
control.listen(o.controlPort, "127.0.0.1", () => {
  process.stdout.write(`ready ${JSON.stringify({ reconciledAtStart: stack.reconciledAtStart ?? null })}\n`);
});

/** Every line to stderr: stdout carries the ready line to the harness. */
function stderrLogger(): Logger {
  const line = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields })}\n`);
  return { info: line("info"), warn: line("warn"), error: line("error") };
}
