import { Validations } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { BuiltStack } from "./build-stack.ts";

function describeViolations(pack: AwsSolutionsChecks, scope: IConstruct): string[] {
  return pack
    .validateScope(scope)
    .violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
}

/** Rule ids acknowledged anywhere in the tree, with their reasons. */
function acknowledgements(scope: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.set(id.replace(/^annotation::/i, ""), reason);
      }
    }
  }
  return found;
}

describe("cdk-nag AwsSolutions", () => {
  const withWaf = [{ wafRateLimit: "1000" }, { account: "123456789012", region: "eu-central-1" }] as const;
  for (const [name, context] of [
    ["default context", {}],
    [
      "custom domain, no tracing",
      { domainName: "stac.example.org", certificateArn: "arn:aws:acm:x", tracing: "false" },
    ],
    ["relays into two buckets", { relayBuckets: "downstream-a,downstream-b" }],
  ] as const) {
    it(`reports no unacknowledged error or warning (${name})`, () => {
      const { stack } = new BuiltStack(context);
      expect(describeViolations(new AwsSolutionsChecks(), stack)).toEqual([]);
    });
  }

  it("reports no unacknowledged error or warning with the WAF rate limit (both stacks)", () => {
    const { stack, edge } = new BuiltStack(...withWaf);
    expect(describeViolations(new AwsSolutionsChecks(), stack)).toEqual([]);
    expect(describeViolations(new AwsSolutionsChecks(), edge!)).toEqual([]);
  });

  it("acknowledges only findings that exist, each with a written reason", () => {
    const { stack } = new BuiltStack();
    // Re-run the pack blind to acknowledgements to see every raw finding.
    const blind = new AwsSolutionsChecks();
    Object.defineProperty(blind, "isAcknowledged", { value: () => false });
    const raw = new Set(blind.validateScope(stack).violations.map((v) => v.ruleName));
    const acknowledged = acknowledgements(stack);
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(raw, `acknowledgement of ${id} matches no finding`).toContain(id);
      expect(reason.length, `reason for ${id}`).toBeGreaterThan(40);
      // v3 acknowledges findings one by one; a bare IAM5 would mean "any wildcard".
      expect(id).not.toBe("AwsSolutions-IAM5");
    }
  });

  it.each([
    ["default context", new BuiltStack()],
    ["WAF rate limit", new BuiltStack(...withWaf)],
  ])(
    "passes when synthesised with the pack registered as in cdk/app.ts, and CDK itself warns of nothing (%s)",
    (_, built) => {
      const { app } = built;
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).not.toThrow();
      for (const stack of [built.stack, built.edge].filter((s) => s !== undefined)) {
        const annotations = Annotations.fromStack(stack);
        expect(annotations.findError("*", Match.anyValue())).toEqual([]);
        expect(annotations.findWarning("*", Match.anyValue())).toEqual([]);
      }
    },
  );
});
