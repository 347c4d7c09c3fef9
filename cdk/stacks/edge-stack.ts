// What must live in us-east-1 whatever the API's region: the CLOUDFRONT-scope web ACL of the per-client
// rate limit (deployed only when `wafRateLimit` is set; its ARN reaches the main stack through CDK's
// cross-region references).
import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { EdgeFirewall } from "../constructs/edge-firewall.ts";

/** CloudFront reads its web ACLs from here. */
export const EDGE_REGION = "us-east-1";

export interface EdgeStackProps extends StackProps {
  stage: string;
  rateLimit: number;
}

export class EdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    this.firewall = new EdgeFirewall(this, "Firewall", {
      rateLimit: props.rateLimit,
      metricPrefix: `hexarchive-${props.stage}`,
    });
  }
}
