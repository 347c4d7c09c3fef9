// The per-client rate limit: a WAF web ACL whose rate-based rule blocks an IP address that sent more than
// `rateLimit` requests in five minutes, so that one client cannot use up the API stage's throttle, which
// all clients share. CLOUDFRONT scope: it guards the distribution in front of the API (api-front.ts),
// and such web ACLs exist only in us-east-1 (cdk/stacks/edge-stack.ts).
import { ReferenceStrength } from "aws-cdk-lib";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

/** WAF counts over this window (one of 60, 120, 300, 600 s); `wafRateLimit` is per window. */
export const RATE_WINDOW_SECONDS = 300;

export interface EdgeFirewallProps {
  /** Requests one client IP may send per RATE_WINDOW_SECONDS. */
  rateLimit: number;
  /** Prefix of the CloudWatch metric names (per stage, so stages do not mix). */
  metricPrefix: string;
}

export class EdgeFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
      // Sampled requests show an operator which clients were blocked, without a log destination.
      sampledRequestsEnabled: true,
    });
    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      description: "hexarchive: per-client rate limit in front of the STAC API",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("api"),
      rules: [
        {
          name: "PerClientRateLimit",
          priority: 0,
          // CloudFront connects from its own addresses; WAF on CloudFront sees the viewer's address, so
          // aggregating by IP counts each client (a NAT or proxy counts as one client).
          statement: {
            rateBasedStatement: {
              aggregateKeyType: "IP",
              limit: props.rateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                responseHeaders: [{ name: "retry-after", value: String(RATE_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: visibility("rate-limit"),
        },
      ],
    });
    // The ARN crosses regions as a weak reference (CloudFormation's Fn::GetStackOutput), not CDK's strong
    // one, which would add a custom-resource Lambda to each stack and lock the web ACL in place.
    this.webAcl.applyCrossStackReferenceStrength(ReferenceStrength.WEAK);
  }
}
