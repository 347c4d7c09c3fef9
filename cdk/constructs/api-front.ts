// CloudFront in front of the HTTP API, only to carry the WAF web ACL of the per-client rate limit: API
// Gateway HTTP APIs cannot be associated with WAF. The alternative, a REST API with a regional web ACL,
// would change the function's event format (payload 1.0), binary handling and every route; CloudFront
// keeps the API as it is. Nothing is cached: every request reaches the API, with the viewer's headers
// (Authorization, Range, Origin) but the API's own Host, which its TLS certificate needs.
//
// Limit, stated plainly: the execute-api endpoint still answers requests sent to it directly, which the
// web ACL does not see; they are bounded by the stage throttle only. The API's links point to CloudFront
// (HEXARCHIVE_PUBLIC_URL), so clients that follow them stay behind the rule.
import { Stack, Validations } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import { Construct } from "constructs";

export interface ApiFrontProps {
  httpApi: apigw.HttpApi;
  /** ARN of a CLOUDFRONT-scope web ACL (cdk/stacks/edge-stack.ts). */
  webAclArn: string;
}

export class ApiFront extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiFrontProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: `${stack.stackName}: STAC API behind the per-client rate limit`,
      defaultBehavior: {
        origin: new origins.HttpOrigin(
          `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
          {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          },
        ),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: props.webAclArn,
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason:
          "A public archive of Copernicus products for every country; access is governed per collection in the API, not by geography.",
      },
      {
        id: "AwsSolutions-CFR3",
        reason:
          "Every request is logged by the API stage's access log and the web ACL keeps sampled requests and per-rule metrics; CloudFront standard logs would need an ACL-enabled bucket for a copy of the same requests.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "The default *.cloudfront.net certificate cannot set a minimum viewer TLS version; the origin connection is TLS 1.2 only. A custom domain with its own certificate would allow TLSv1.2_2021.",
      },
    );
  }
}
