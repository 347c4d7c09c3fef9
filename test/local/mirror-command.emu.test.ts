// `npm run mirror` as an operator runs it: a separate process reading one catalogue's feed over HTTP
// and writing into another's table (found as `npm start`'s is, from endpoints.json), then resuming
// from its stored cursor with nothing left to do.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const TIMING = { settleMs: 50, graceMs: 2_000, writeDeadlineMs: 1_000 };
let origin: TestApp;
let target: TestApp;
let dataDir: string;

beforeAll(async () => {
  [origin, target] = await Promise.all([
    startTestApp({ changeTiming: TIMING }),
    startTestApp({ changeTiming: TIMING }),
  ]);
  dataDir = mkdtempSync(join(tmpdir(), "hexarchive-mirror-"));
  writeFileSync(
    join(dataDir, "endpoints.json"),
    JSON.stringify({ dynamodb: target.endpoints.dynamodb, s3: { region: "us-east-1" } }),
  );
});
afterAll(async () => {
  await origin?.close();
  await target?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const mirror = async () =>
  (
    await run("npx", ["tsx", "dev/local/mirror.ts", "--from", origin.api], {
      cwd: ROOT,
      env: { ...process.env, HEXARCHIVE_DATA_DIR: dataDir },
      timeout: 120_000,
    })
  ).stdout;

describe("npm run mirror", () => {
  it("copies another catalogue's items, then resumes with nothing to do", async () => {
    const items = ["x1", "x2", "x3"].map((id, i) =>
      makeItem({ id, collection: "cmd", datetime: "2024-06-01T10:00:00Z", lon: 10 + i, lat: 45 }),
    );
    await seed(origin, [makeCollection("cmd", "Cmd", "mirror command", [])], items);
    await origin.catalogue.deleteItem("cmd", "x3", undefined, { cause: "corrupted", text: "bad checksum" });
    await new Promise((r) => setTimeout(r, 100));

    expect(await mirror()).toContain("4 changes read: 2 written, 0 deleted, 2 skipped");
    const ids = async (app: TestApp) =>
      (await app.get("/collections/cmd/items?limit=10")).body.features
        .map((f: { id: string }) => f.id)
        .sort();
    expect(await ids(target)).toEqual(["x1", "x2"]);
    expect(await mirror()).toContain("0 changes read");
  }, 300_000);
});
