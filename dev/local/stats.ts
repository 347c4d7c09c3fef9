// `npm run stats [-- --from 2025-01-01 --to 2025-12-31]`: download and search statistics of the running
// local stack, read through the operators' API as the built-in operator user.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadLocalConfig } from "./config.ts";
import type { Endpoints } from "./stack.ts";

const { values } = parseArgs({
  options: { from: { type: "string" }, to: { type: "string" }, json: { type: "boolean" } },
});
const config = loadLocalConfig(process.env);
const e = JSON.parse(readFileSync(join(config.dataDir, "endpoints.json"), "utf8")) as Endpoints;
const basic = `Basic ${Buffer.from(`${e.auth.operator.user}:${e.auth.operator.password}`).toString("base64")}`;
const qs = new URLSearchParams({
  ...(values.from ? { from: values.from } : {}),
  ...(values.to ? { to: values.to } : {}),
});

async function get(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${e.api}${path}?${qs}`, { headers: { authorization: basic } });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const [downloads, top, users, search] = await Promise.all([
  get("/admin/stats/downloads"),
  get("/admin/stats/top-products"),
  get("/admin/stats/users"),
  get("/admin/stats/search-params"),
]);
if (values.json) {
  console.log(JSON.stringify({ downloads, top, users, search }, null, 2));
} else {
  console.log(
    `Period ${downloads["from"]} … ${downloads["to"]}: ${downloads["downloads"]} downloads, ${downloads["bytes"]} bytes`,
  );
  console.log("\nDownloads per collection and month");
  console.table(downloads["byCollectionAndMonth"]);
  console.log("\nMost downloaded products");
  console.table(top["products"]);
  console.log(`\nActive users: ${users["activeUsers"]}`);
  console.table(users["users"]);
  console.log("\nSearch parameters used");
  console.table(search["parameters"]);
}
