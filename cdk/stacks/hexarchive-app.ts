// The stacks of one hexarchive stage: the main stack, and with `wafRateLimit` the us-east-1 stack holding
// the web ACL CloudFront needs. Used by cdk/app.ts and the CDK tests alike.
import { Annotations, type App } from "aws-cdk-lib";
import type { DeployTarget, HexarchiveConfig } from "../config.ts";
import { EDGE_REGION, EdgeStack } from "./edge-stack.ts";
import { HexarchiveStack } from "./hexarchive-stack.ts";

export interface HexarchiveStacks {
  main: HexarchiveStack;
  edge: EdgeStack | undefined;
}

export function addHexarchiveStacks(
  app: App,
  config: HexarchiveConfig,
  target: DeployTarget,
): HexarchiveStacks {
  const description = `hexarchive (${config.stage}): Copernicus product archive, STAC API and presigned downloads`;
  const id = `Hexarchive-${config.stage}`;
  if (config.wafRateLimit === undefined) {
    // Environment-agnostic, as before: deployable to whatever account and region the CLI targets.
    return { main: new HexarchiveStack(app, id, { config, description }), edge: undefined };
  }
  if (target.region === undefined)
    throw new Error(
      "wafRateLimit needs the deploy region when synthesising (the web ACL's ARN crosses from us-east-1): configure a region in the AWS profile or set AWS_REGION",
    );
  const account = target.account !== undefined ? { account: target.account } : {};
  const edge = new EdgeStack(app, `HexarchiveEdge-${config.stage}`, {
    env: { ...account, region: EDGE_REGION },
    description: `hexarchive (${config.stage}): per-client rate limit (WAF web ACL for CloudFront)`,
    stage: config.stage,
    rateLimit: config.wafRateLimit,
  });
  const main = new HexarchiveStack(app, id, {
    config,
    description,
    env: { ...account, region: target.region },
    crossRegionReferences: true,
    webAclArn: edge.firewall.webAcl.attrArn,
  });
  Annotations.of(main).acknowledgeWarning(
    "@aws-cdk/core:crossStackReferencesDefaultStrong",
    "The only cross-stack reference, the web ACL's ARN, sets its own strength (weak: edge-firewall.ts).",
  );
  return { main, edge };
}
