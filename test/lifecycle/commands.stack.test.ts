// The lifecycle commands against the local stack with the sample products, as an operator runs them:
// an upstream deletion list (dry run, then for real, then again), a deletion cut short that reconcile
// must not undo and `npm run delete` completes, and the tombstones listing. S3's ObjectRemoved events
// for the removed objects are ingested in between and change nothing.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_PRODUCTS, uploadSamples } from "../../dev/local/samples.ts";
import { generateProduct } from "../../dev/synthetic/plan-product.ts";
import { tombstoneOf } from "../../shared/lifecycle/tombstone.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const L1C = "sentinel-2-l1c";
const L2A = "sentinel-2-l2a";
const DELETED = "S2B_MSIL1C_20230909T102029_N0510_R051_T32UQD_20230909T123729";
const CUT_SHORT = "S2A_MSIL2A_20240330T104621_N0510_R051_T31UDQ_20240330T130321";
let stack: TestStack;
let dir: string;

/** Runs `npm run <command> -- …` as the checkout's package.json does, against this stack. */
async function npm(command: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, HEXARCHIVE_DATA_DIR: dirname(stack.endpoints.deadLetterFile), INIT_CWD: dir };
  return run("npm", ["--prefix", ROOT, "run", "--silent", command, "--", ...args], {
    env,
    cwd: dir,
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: `${e.stdout}${e.stderr}`,
    }),
  );
}

const objectExists = (key: string) =>
  stack.s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: key })).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  stack = await startTestStack();
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
  dir = mkdtempSync(join(tmpdir(), "hexarchive-lifecycle-"));
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stack?.close();
});

describe("lifecycle commands", () => {
  it("apply an upstream deletion list: dry run, then for real, then again (idempotent)", async () => {
    writeFileSync(
      join(dir, "deleted.json"),
      JSON.stringify({
        value: [
          {
            Id: "a",
            Name: `${DELETED}.SAFE`,
            DeletionDate: "2024-11-02T08:00:00Z",
            DeletionCause: "Obsolete product format",
          },
          {
            Id: "b",
            Name: "S2A_MSIL1C_20200101T000000_N0209_R000_T01AAA_20200101T000000.SAFE",
            DeletionCause: "Invalid",
          },
        ],
      }),
    );
    const source = (await stack.catalogue.getItem(L1C, DELETED))!.source!;
    const dry = await npm("sync-deletions", "deleted.json", "--dry-run");
    expect(dry.out).toMatch(
      /2 products listed upstream: 1 held here would be deleted, 0 already deleted, 1 never held/,
    );
    expect(dry.out).toContain(`${L1C}/${DELETED}  obsolete-format (Obsolete product format)`);
    expect(await stack.catalogue.getItem(L1C, DELETED)).toBeDefined();

    const real = await npm("sync-deletions", "deleted.json");
    expect(real.out).toMatch(/1 held here deleted \(1\)/);
    await stack.settled(); // the ObjectRemoved event of the product's object is ingested
    expect(await objectExists(source)).toBe(false);
    const gone = await stack.get(`/collections/${L1C}/items/${DELETED}`);
    expect(gone.status).toBe(410);
    expect(gone.body.description).toMatch(/obsolete-format \(Obsolete product format\)/);
    expect(await stack.catalogue.listFailures()).toEqual([]);

    const again = await npm("sync-deletions", "deleted.json");
    expect(again.out).toMatch(/0 held here deleted \(0\), 1 already deleted, 1 never held/);
    const t = await stack.catalogue.tombstoneStore.getTombstone(L1C, DELETED);
    expect(t?.deletion).toEqual({
      cause: "obsolete-format",
      text: "Obsolete product format",
      by: "upstream-sync",
    });
  });

  it("a deletion cut short after the index is not undone by reconcile, and npm run delete completes it", async () => {
    // What a run killed between the index and the objects leaves: a tombstone, no item, the object.
    const stored = (await stack.catalogue.getItem(L2A, CUT_SHORT))!;
    const key = stored.source!;
    await stack.catalogue.tombstoneStore.putTombstone(
      tombstoneOf(stored, { cause: "corrupted", by: "operator:test" }, new Date(), {
        bucket: stack.bucket,
        keys: [key],
      }),
    );
    expect(await stack.catalogue.deleteItem(L2A, CUT_SHORT, stored)).toBe(true);
    await stack.reconcile();
    await stack.settled();
    expect(await stack.catalogue.getItem(L2A, CUT_SHORT)).toBeUndefined();
    expect((await stack.get(`/collections/${L2A}/items/${CUT_SHORT}`)).status).toBe(410);

    const done = await npm("delete", L2A, CUT_SHORT, "--cause", "duplicate");
    expect(done.out).toMatch(new RegExp(`^completed: ${L2A}/${CUT_SHORT}, corrupted, by operator:test`));
    await stack.settled();
    expect(await objectExists(key)).toBe(false);
    expect(await stack.catalogue.getItem(L2A, CUT_SHORT)).toBeUndefined();
  });

  it("an object uploaded again after a deletion is a new product: indexed", async () => {
    expect(await stack.catalogue.getItem(L2A, CUT_SHORT)).toBeUndefined();
    const p = generateProduct(SAMPLE_PRODUCTS[4]!);
    await new Promise((r) => setTimeout(r, 1100)); // S3 times are whole seconds
    await stack.upload(`reuploaded/${p.key}`, p.bytes);
    expect((await stack.catalogue.getItem(L2A, CUT_SHORT))?.item.id).toBe(CUT_SHORT);
    expect((await stack.get(`/collections/${L2A}/items/${CUT_SHORT}`)).status).toBe(200);
  });

  it("list tombstones, filtered, and name unknown ids and causes", async () => {
    const all = await npm("tombstones");
    expect(all.out).toContain(`${L1C}/${DELETED}`);
    expect(all.out).toContain(`${L2A}/${CUT_SHORT}`);
    const corrupted = await npm("tombstones", "--cause", "corrupted");
    expect(corrupted.out).not.toContain(DELETED);
    const unknown = await npm("delete", L2A, "no-such-product", "--cause", "invalid");
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/item 'no-such-product' does not exist in collection 'sentinel-2-l2a'/);
    const badCause = await npm("delete", L2A, CUT_SHORT, "--cause", "boredom");
    expect(badCause.out).toMatch(/'--cause' must be one of obsolete-format, corrupted/);
  });
});
