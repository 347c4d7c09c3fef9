// `npm run failures`: lists the objects that could not be indexed (key, reason, time) from a running or
// stopped local catalogue's data directory.
import { localCatalogue, runningEndpoints } from "./running.ts";

const endpoints = runningEndpoints();
const catalogue = localCatalogue(endpoints);
try {
  const failures = await catalogue.listFailures();
  if (failures.length === 0) console.log("No failures: every product uploaded so far is indexed.");
  for (const f of failures) console.log(`${f.time}  ${f.key}\n    ${f.code}: ${f.reason}`);
} catch (e) {
  console.error(
    `Cannot reach the local catalogue at ${endpoints.dynamodb.endpoint} (is npm start running?): ${String(e)}`,
  );
  process.exit(2);
}
