// The public STAC API: an HTTP API whose catch-all route sends every request to one Lambda function,
// which routes internally, reads the catalogue and presigns product downloads.
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import type { CustomDomain } from "../config.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import type { DownloadCache } from "./download-cache.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";
import type { UserPool } from "./user-pool.ts";

/** HTTP API variables only ($context.identity.caller and friends exist on REST APIs alone). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    userAgent: "$context.identity.userAgent",
    requestTime: "$context.requestTime",
    method: "$context.httpMethod",
    path: "$context.path",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integrationStatus",
    integrationError: "$context.integrationErrorMessage",
  }),
);

export interface CatalogueApiProps {
  entry: string;
  products: ProductsBucket;
  catalogue: CatalogueTable;
  presignSeconds: number;
  corsOrigins: string[];
  throttle: { rateLimit: number; burstLimit: number };
  customDomain: CustomDomain | undefined;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  /** Users (bearer tokens, HTTP Basic) and where extracted files go; both optional for minimal stacks. */
  users?: UserPool | undefined;
  downloadCache?: DownloadCache | undefined;
}

export class CatalogueApi extends Construct {
  readonly handler: HexarchiveFunction;
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly domainName: apigw.DomainName | undefined;
  /** Base URL clients use: the custom domain when configured, otherwise the execute-api endpoint. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CatalogueApiProps) {
    super(scope, id);

    const publicUrl = props.customDomain ? `https://${props.customDomain.domainName}` : undefined;

    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive STAC API",
      memorySize: 1024,
      // HTTP APIs give up on an integration after 30 s; answer (even with an error) before that.
      timeout: Duration.seconds(25),
      environment: {
        [ENV_NAMES.table]: props.catalogue.table.tableName,
        [ENV_NAMES.productsBucket]: props.products.bucket.bucketName,
        [ENV_NAMES.presignSeconds]: String(props.presignSeconds),
        ...(publicUrl ? { [ENV_NAMES.publicUrl]: publicUrl } : {}),
        ...(props.users
          ? {
              [ENV_NAMES.oidcIssuer]: props.users.issuer,
              [ENV_NAMES.oidcClientId]: props.users.client.userPoolClientId,
            }
          : {}),
        ...(props.downloadCache ? { [ENV_NAMES.cacheBucket]: props.downloadCache.bucket.bucketName } : {}),
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    // Read-only: the API answers queries and presigns downloads, it never changes the catalogue or products.
    props.catalogue.grantCatalogueRead(this.handler);
    props.products.grantReadObjects(this.handler);
    if (props.downloadCache) {
      // Download leases and statistics: item writes confined to their own partitions (shared/index/keys.ts).
      this.handler.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: [props.catalogue.table.tableArn],
          conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["L#*", "D#*", "P#*"] } },
        }),
      );
      props.downloadCache.grantReadWriteMembers(this.handler);
    }

    this.httpApi = new apigw.HttpApi(this, "HttpApi", {
      apiName: `${Stack.of(this).stackName}-stac`,
      description: "hexarchive STAC API",
      defaultIntegration: new HttpLambdaIntegration("Handler", this.handler.function),
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
        allowHeaders: ["Content-Type", "Accept", "Authorization"],
        exposeHeaders: ["Content-Type", "Link"],
        maxAge: Duration.days(1),
      },
    });
    // Covers the routes, which are children of the API.
    Validations.of(this.httpApi).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "The STAC API is a public, read-only catalogue by design; product bytes are only reachable through short-lived presigned URLs. Abuse is bounded by stage throttling.",
    });

    if (props.customDomain) {
      this.domainName = new apigw.DomainName(this, "DomainName", {
        domainName: props.customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          "Certificate",
          props.customDomain.certificateArn,
        ),
      });
    } else {
      this.domainName = undefined;
    }

    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, "Stage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
      ...(this.domainName ? { domainMapping: { domainName: this.domainName } } : {}),
    });

    this.url = publicUrl ?? this.stage.url;
  }
}
