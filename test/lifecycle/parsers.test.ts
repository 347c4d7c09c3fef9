// The lifecycle's inputs: retention policy files (refused whole, every mistake named by line and
// field), upstream deletion lists (CDSE DeletedProducts JSON, CSV) and the causes read from their text.
import { describe, expect, it } from "vitest";
import type { ItemSummary } from "../../shared/index/rows.ts";
import { causeOfText } from "../../shared/lifecycle/causes.ts";
import {
  expiresAt,
  PolicyFileError,
  parseRetentionPolicies,
  policyFor,
  ruleFor,
} from "../../shared/lifecycle/retention-policy.ts";
import { itemIdOfName, parseUpstreamDeletions } from "../../shared/lifecycle/upstream-deletions.ts";

const CZ = {
  type: "Polygon",
  coordinates: [
    [
      [12.09, 48.55],
      [18.86, 48.55],
      [18.86, 51.06],
      [12.09, 51.06],
      [12.09, 48.55],
    ],
  ],
};

const GOOD = JSON.stringify(
  {
    policies: [
      {
        collection: "sentinel-2-l2a",
        rules: [
          { name: "inside CZ", region: CZ, keepMonths: 36 },
          { name: "elsewhere", keepDays: 14 },
        ],
      },
      { collection: "sentinel-2-l2a", productType: "S2MSI2AP", rules: [{ keepForever: true }] },
    ],
  },
  null,
  2,
);

const refusal = (text: string): string[] => {
  try {
    parseRetentionPolicies(text, "retention.json");
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyFileError);
    return (e as PolicyFileError).problems;
  }
  throw new Error("the file was accepted");
};

const summary = (lon: number, datetime: string, type = "S2MSI2A"): ItemSummary => ({
  collection: "sentinel-2-l2a",
  id: "x",
  datetime,
  start: datetime,
  end: datetime,
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [lon, 50],
        [lon + 1, 50],
        [lon + 1, 51],
        [lon, 51],
        [lon, 50],
      ],
    ],
  },
  bbox: [lon, 50, lon + 1, 51],
  properties: { "product:type": type },
  version: "v1",
});

describe("retention policy files", () => {
  it("read rules in order: a region the item touches first, then the rest", () => {
    const policies = parseRetentionPolicies(GOOD);
    const inCz = summary(14, "2024-01-01T00:00:00.000Z");
    const inFrance = summary(2, "2024-01-01T00:00:00.000Z");
    const p = policyFor(policies, inCz)!;
    expect(ruleFor(p, inCz)!.name).toBe("inside CZ");
    expect(ruleFor(p, inFrance)!.name).toBe("elsewhere");
    expect(expiresAt(ruleFor(p, inCz)!, inCz.datetime)!.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(expiresAt(ruleFor(p, inFrance)!, inFrance.datetime)!.toISOString()).toBe(
      "2024-01-15T00:00:00.000Z",
    );
    // A product type with a policy of its own takes it.
    const own = policyFor(policies, summary(2, "2024-01-01T00:00:00.000Z", "S2MSI2AP"))!;
    expect(expiresAt(ruleFor(own, inFrance)!, inFrance.datetime)).toBeUndefined();
  });

  it("are refused whole, naming the line and field of every mistake", () => {
    const text = GOOD.replace('"keepDays": 14', '"keepDays": -3').replace(
      '"keepMonths": 36',
      '"keepMonths": 36, "color": "red"',
    );
    const problems = refusal(text);
    const lines = text.split("\n");
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(problems).toContain(
      `line ${lineOf('"keepDays": -3')}: policies[0].rules[1].keepDays must be a whole number from 1 to 1200, got -3`,
    );
    expect(
      problems.some((p) =>
        p.startsWith(`line ${lineOf('"color"')}: policies[0].rules[0].color is not a field`),
      ),
    ).toBe(true);
  });

  it("refuse an open region ring, a rule without a period, a repeated policy and broken JSON", () => {
    const openRing = {
      type: "Polygon",
      coordinates: [
        [
          [12, 48],
          [18, 48],
          [18, 51],
          [12, 51],
        ],
      ],
    };
    const open = `{"policies": [{"collection": "c",\n "rules": [{"region": ${JSON.stringify(openRing)}, "keepDays": 1}]}]}`;
    expect(refusal(open)).toEqual([
      "line 2: policies[0].rules[0].region has a ring that is not closed (last position = first)",
    ]);
    expect(refusal('{"policies":[{"collection":"c","rules":[{"name":"x"}]}]}')[0]).toMatch(
      /^line 1: policies\[0\]\.rules\[0\] must have exactly one of keepDays, keepMonths, keepForever \(has none\)/,
    );
    expect(
      refusal(
        '{"policies":[{"collection":"c","rules":[{"keepDays":1}]},\n{"collection":"c","rules":[{"keepDays":2}]}]}',
      )[0],
    ).toMatch(/^line 2: policies\[1\] repeats the policy of policies\[0\]/);
    expect(refusal('{"policies": [\n{"collection": "c",\n"rules": [}\n]}')[0]).toMatch(
      /^line 3: unexpected '}'/,
    );
  });
});

describe("upstream deletion lists", () => {
  it("read CDSE's DeletedProducts JSON, keeping the upstream's cause text", () => {
    const list = parseUpstreamDeletions(
      JSON.stringify({
        "@odata.context": "$metadata#DeletedProducts",
        value: [
          {
            Id: "0f0a1c7e-0000-4000-8000-000000000001",
            Name: "S2B_MSIL1C_20230909T102029_N0510_R051_T32UQD_20230909T123729.SAFE",
            ContentDate: { Start: "2023-09-09T10:20:29.024Z", End: "2023-09-09T10:20:29.024Z" },
            DeletionDate: "2024-11-02T08:00:00.000Z",
            DeletionCause: "Obsolete product format",
          },
        ],
      }),
    );
    expect(list).toEqual([
      {
        name: "S2B_MSIL1C_20230909T102029_N0510_R051_T32UQD_20230909T123729.SAFE",
        upstreamId: "0f0a1c7e-0000-4000-8000-000000000001",
        cause: "Obsolete product format",
        deletedAt: "2024-11-02T08:00:00.000Z",
      },
    ]);
    expect(itemIdOfName(list[0]!.name)).toBe("S2B_MSIL1C_20230909T102029_N0510_R051_T32UQD_20230909T123729");
    expect(() => parseUpstreamDeletions('{"value":[{"Id":"x"}]}', "d.json")).toThrow(
      /d\.json: value\[0\] has no Name/,
    );
  });

  it("read a CSV of names and causes, quoted or not", () => {
    const list = parseUpstreamDeletions(
      'name,cause\nA.SAFE,"Corrupted, checksum mismatch"\n\nB.zip,\n',
      "list.csv",
    );
    expect(list).toEqual([{ name: "A.SAFE", cause: "Corrupted, checksum mismatch" }, { name: "B.zip" }]);
    expect(() => parseUpstreamDeletions("product;why\n;x", "l.csv")).toThrow(
      /l\.csv line 2: no product name/,
    );
    expect(() => parseUpstreamDeletions("foo,bar\n1,2", "l.csv")).toThrow(/line 1: a CSV needs a header/);
  });

  it("map free-text causes to the vocabulary", () => {
    expect(causeOfText("Obsolete product format")).toBe("obsolete-format");
    expect(causeOfText("Automatic Eviction")).toBe("automatic-eviction");
    expect(causeOfText("Invalid")).toBe("invalid");
    expect(causeOfText("Duplicated product")).toBe("duplicate");
    expect(causeOfText("Corrupted product")).toBe("corrupted");
    expect(causeOfText("Replaced by a newer processing baseline")).toBe("superseded");
    expect(causeOfText("for no stated reason")).toBe("other");
    expect(causeOfText(undefined)).toBe("other");
  });
});
