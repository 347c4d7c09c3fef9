// s3rver is not crash-safe: objects whose write a kill cut short are removed at start, and only those.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTornObjects } from "../../dev/local/emulators.ts";

const dir = mkdtempSync(join(tmpdir(), "hexarchive-torn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** One object as s3rver stores it; `objectAge` / `metadataAge` in seconds before now. */
function put(
  name: string,
  o: { bytes: string; md5?: string; metadata?: string; objectAge: number; metadataAge: number },
) {
  const base = join(dir, "bucket", name);
  mkdirSync(join(dir, "bucket"), { recursive: true });
  const now = Date.now() / 1000;
  writeFileSync(`${base}._S3rver_object`, o.bytes);
  utimesSync(`${base}._S3rver_object`, now - o.objectAge, now - o.objectAge);
  if (o.md5 !== undefined) writeFileSync(`${base}._S3rver_object.md5`, o.md5);
  if (o.metadata !== undefined) {
    writeFileSync(`${base}._S3rver_metadata.json`, o.metadata);
    utimesSync(`${base}._S3rver_metadata.json`, now - o.metadataAge, now - o.metadataAge);
  }
  return () => existsSync(`${base}._S3rver_object`);
}

describe("removeTornObjects", () => {
  it("removes bytes without readable metadata or not matching their MD5, and keeps complete objects", () => {
    const complete = put("complete", {
      bytes: "a",
      md5: md5("a"),
      metadata: "{}",
      objectAge: 10,
      metadataAge: 10,
    });
    const flushedLate = put("late", {
      bytes: "b",
      md5: md5("b"),
      metadata: "{}",
      objectAge: 1,
      metadataAge: 2,
    });
    const noMetadata = put("new-key", { bytes: "c", objectAge: 1, metadataAge: 0 });
    const tornOverwrite = put("overwrite", {
      bytes: "new bytes, cut",
      md5: md5("old"),
      metadata: "{}",
      objectAge: 1,
      metadataAge: 60,
    });
    const tornMetadata = put("metadata", {
      bytes: "e",
      md5: md5("e"),
      metadata: '{"content-ty',
      objectAge: 1,
      metadataAge: 1,
    });
    expect(removeTornObjects(dir)).toBe(3);
    expect([complete(), flushedLate(), noMetadata(), tornOverwrite(), tornMetadata()]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
