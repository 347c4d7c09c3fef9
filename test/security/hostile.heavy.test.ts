// The hostile-input suite: generated requests (hostile-grammar.ts) across every route, half against a
// stack without access rules and half against one restricting a collection, over real HTTP. None may
// answer 5xx or take more than 10 s, and every 4xx must say what was wrong as JSON {code, description}.
// HEXARCHIVE_HOSTILE_REQUESTS and HEXARCHIVE_HOSTILE_SEED change the run; `npm run hostile` runs more.
import { afterAll, describe, expect, it } from "vitest";
import { ROUTES } from "./hostile-grammar.ts";
import {
  describeReport,
  type HostileStack,
  RESTRICTED_ACCESS,
  runHostile,
  startHostileStack,
} from "./hostile-run.ts";

const REQUESTS = Number(process.env["HEXARCHIVE_HOSTILE_REQUESTS"] ?? 10_000);
const SEED = Number(process.env["HEXARCHIVE_HOSTILE_SEED"] ?? 16);

let stack: HostileStack | undefined;
afterAll(() => stack?.close());

describe("hostile input", () => {
  for (const [label, access, count] of [
    ["without access rules", undefined, Math.ceil(REQUESTS / 2)],
    ["with a restricted collection", RESTRICTED_ACCESS, Math.floor(REQUESTS / 2)],
  ] as const) {
    it(`${count} generated requests ${label}: no 5xx, none over 10 s, every 4xx a JSON error`, async () => {
      stack = await startHostileStack(access);
      const report = await runHostile(stack, { seed: SEED, count });
      await stack.close();
      stack = undefined;
      console.log(describeReport(`hostile input ${label} (seed ${SEED})`, report));
      expect(report.requests).toBe(count);
      expect(report.failures.map((f) => `#${f.n} ${f.why}`)).toEqual([]);
      expect(report.byClass["5xx"] ?? 0).toBe(0);
      // Every route of the grammar was exercised.
      for (const route of ROUTES) expect(report.byRoute[route] ?? 0, route).toBeGreaterThan(0);
    }, 180_000);
  }
});
