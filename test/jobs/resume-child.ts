// The local stack in a process of its own (for resume.stack.test.ts, which kills it with SIGKILL and
// starts it again on the same data directory), with small import chunks so that a job takes many steps.
// Prints `ready {endpoints}` once it serves.
import { startLocalStack } from "../../dev/local/stack.ts";
import { silentLogger } from "../../shared/log.ts";

const o = JSON.parse(process.argv[2]!) as { dataDir: string; chunkBytes: number };
const stack = await startLocalStack({
  dataDir: o.dataDir,
  apiPort: 0,
  s3Port: 0,
  dynamoPort: 0,
  presignSeconds: 300,
  log: silentLogger,
  jobs: { import: { chunkBytes: o.chunkBytes } },
});
process.stdout.write(`ready ${JSON.stringify(stack.endpoints)}\n`);
