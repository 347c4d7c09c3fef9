// The fault suite: 1,000 uploads through the local stack's real S3 notifications and queue, with the
// stack killed (SIGKILL) and started again mid-stream, concurrent overwrites, deletions, moves, garbage
// and poison objects on the same keys. Afterwards the bucket, the items and the failures list agree
// exactly; the counts are printed. The larger run: `npm run faults -- --uploads 10000`.
import { describe, expect, it } from "vitest";
import { runFaults } from "./faults/harness.ts";

describe("faults", () => {
  it("loses, duplicates and leaves stale nothing over 1,000 uploads with three kills", async () => {
    const report = await runFaults({ uploads: 1_000, kills: 3, seed: 16, progress: (l) => console.log(l) });
    console.log(
      `fault suite: ${report.uploads} uploads, ${report.deletes} deletes, ${report.moves} moves, ${report.kills} kills; ` +
        `${report.objects} objects (${report.poison} poison or garbage), ${report.items} items, ${report.failures} failures; ` +
        `before reconcile ${JSON.stringify(report.beforeReconcile)}, after ${JSON.stringify(report.afterReconcile)}; ` +
        `${report.seconds.toFixed(1)} s`,
    );
    expect(report.kills).toBe(3);
    expect(report.afterReconcile).toEqual({
      lost: 0,
      duplicated: 0,
      stale: 0,
      ghost: 0,
      poisonWithoutFailure: 0,
    });
    // Events, the journal and the reconcile at each restart already get there; the last reconcile finds nothing.
    expect(report.beforeReconcile).toEqual(report.afterReconcile);
    expect(report.deadLettered).toBe(0);
  }, 180_000);
});
