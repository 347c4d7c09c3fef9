// The public STAC API: an HTTP API whose catch-all route sends every request to one Lambda function,
// which routes internally, reads the catalogue and presigns product downloads. Transactions (writes to
// items and collections) go to a second function running the same code with write access, so the
// function that answers the public never holds write permissions on the catalogue.
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { UI_FOLDER } from "../../shared/api/ui-assets.ts";
import { WRITE_ROUTES } from "../../shared/api/write-routes.ts";
import { ENV_NAMES } from "../../shared/config.ts";
import { CORS_POLICY } from "../../shared/http/cors.ts";
import { API_WRITABLE_PREFIXES, leadingKeyPatterns } from "../../shared/index/keys.ts";
import type { CustomDomain, FunctionName } from "../config.ts";
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
  /** Per function (cdk/config.ts); undefined: none reserved. */
  reservedConcurrency?: Record<FunctionName, number> | undefined;
  /** The search page's basemap tiles (cdk/config.ts); undefined: the packaged outline only. */
  basemap?: { tiles: string; attribution: string | undefined } | undefined;
}

export class CatalogueApi extends Construct {
  readonly handler: HexarchiveFunction;
  /** Extracts large files from products in the background (with a download cache only). */
  readonly extractor: HexarchiveFunction | undefined;
  /** Serves the write routes of the Transaction extension. */
  readonly writer: HexarchiveFunction;
  /** The key that signs paging tokens (shared/search/paging-tokens.ts); only the API function reads it. */
  readonly tokenKey: secretsmanager.Secret;
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly domainName: apigw.DomainName | undefined;
  /** Base URL clients use: the custom domain when configured, otherwise the execute-api endpoint. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CatalogueApiProps) {
    super(scope, id);

    const publicUrl = props.customDomain ? `https://${props.customDomain.domainName}` : undefined;
    const apiFunction = (
      id: string,
      description: string,
      name: FunctionName,
      o: { timeout?: Duration; memorySize?: number; environment?: Record<string, string> } = {},
    ) =>
      new HexarchiveFunction(this, id, {
        entry: props.entry,
        description,
        memorySize: o.memorySize ?? 1024,
        // HTTP APIs give up on an integration after 30 s; answer (even with an error) before that.
        timeout: o.timeout ?? Duration.seconds(25),
        environment: {
          ...o.environment,
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
          ...(props.basemap ? { [ENV_NAMES.basemapTiles]: props.basemap.tiles } : {}),
          ...(props.basemap?.attribution
            ? { [ENV_NAMES.basemapAttribution]: props.basemap.attribution }
            : {}),
        },
        logRetention: props.logRetention,
        tracing: props.tracing,
        reservedConcurrency: props.reservedConcurrency?.[name],
        // The search page's assets travel in the bundle, beside the handler (shared/api/ui-assets.ts).
        afterBundling: (inputDir, outputDir) => [
          `cd "${inputDir}" && npx tsx web/build.ts "${outputDir}/${UI_FOLDER}"`,
        ],
      });

    // Files too large to extract within a request (Sentinel-1 measurements, ~1.6 GB) are extracted by
    // the same code in a function of its own, invoked asynchronously: invoking the API function itself
    // would inherit its 25 s timeout. Stored members are copied server-side (UploadPartCopy).
    if (props.downloadCache) {
      this.extractor = apiFunction("Extractor", "hexarchive member extraction", "extractor", {
        timeout: Duration.minutes(15),
        memorySize: 1769, // one full vCPU for inflate
        environment: { [ENV_NAMES.copyStoredMembers]: "true" },
      });
      props.products.grantReadObjects(this.extractor);
      props.downloadCache.grantReadWriteMembers(this.extractor);
      // A failed extraction is marked and restarted by the next request; Lambda's own retries would
      // repeat a corrupt product twice for nothing.
      this.extractor.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.hours(1) });
    } else {
      this.extractor = undefined;
    }
    const extractor = this.extractor;

    this.tokenKey = new secretsmanager.Secret(this, "PagingTokenKey", {
      // Keys both the paging tokens and the signed links (a key derived for each, lambdas/api/handler.ts);
      // read by the API function at cold start, never placed in its environment.
      description: "hexarchive: HMAC secret of the STAC API's paging tokens and signed links",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.tokenKey).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating this key only ends the outstanding next links and signed links (at most 15 minutes old; clients restart paging or sign again); it is a random HMAC key, not a credential for another system, and can be regenerated by hand at any time.",
    });

    this.handler = apiFunction("Handler", "hexarchive STAC API", "api", {
      environment: {
        [ENV_NAMES.tokenSecret]: this.tokenKey.secretArn,
        ...(extractor ? { [ENV_NAMES.extractFunction]: extractor.function.functionName } : {}),
      },
    });
    this.tokenKey.grantRead(this.handler);
    // Reads only: the API answers queries and presigns downloads; it never changes items or products.
    props.catalogue.grantCatalogueRead(this.handler);
    props.products.grantReadObjects(this.handler);
    // Download leases and statistics, users' subscriptions and their queues: item writes confined to their
    // own partitions (shared/index/keys.ts API_WRITABLE_PREFIXES). Deletes: a subscription and its queue.
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem",
        ],
        resources: [props.catalogue.table.tableArn],
        conditions: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": leadingKeyPatterns(API_WRITABLE_PREFIXES) },
        },
      }),
    );
    if (props.downloadCache) {
      props.downloadCache.grantReadWriteMembers(this.handler);
      if (extractor)
        this.handler.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ["lambda:InvokeFunction"],
            resources: [extractor.function.functionArn],
          }),
        );
    }

    // Transactions (STAC API Transaction extension): authorised in code (operators), indexed as ingest does.
    this.writer = apiFunction("TransactionsHandler", "hexarchive STAC API transactions", "transactions");
    props.catalogue.grantCatalogueReadWrite(this.writer);
    props.products.grantReadObjects(this.writer);
    // Deletions with a cause (POST …/items/{itemId}/delete): a product's objects go after its tombstone
    // is written; listing finds the files of a product uploaded as a folder.
    props.products.grantDeleteObjects(this.writer);
    props.products.grantList(this.writer);

    this.httpApi = new apigw.HttpApi(this, "HttpApi", {
      apiName: `${Stack.of(this).stackName}-stac`,
      description: "hexarchive STAC API",
      defaultIntegration: new HttpLambdaIntegration("Handler", this.handler.function),
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        // The handler's own policy (shared/http/cors.ts): API Gateway's replaces it, so they must agree.
        allowMethods: CORS_POLICY.allowMethods.map((m) => m as apigw.CorsHttpMethod),
        allowHeaders: [...CORS_POLICY.allowHeaders],
        exposeHeaders: [...CORS_POLICY.exposeHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });
    const writes = new HttpLambdaIntegration("Transactions", this.writer.function);
    // The router's write routes, from the same table (shared/api/write-routes.ts).
    for (const { method, path } of Object.values(WRITE_ROUTES))
      this.httpApi.addRoutes({ path, methods: [apigw.HttpMethod[method]], integration: writes });
    // Covers the routes, which are children of the API.
    Validations.of(this.httpApi).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "Search is public by design and downloads are authorised in the function (Cognito JWT or Basic, verified against the user pool); the write routes are authorised in code for the operators group. An API Gateway authorizer cannot express per-collection rules or HTTP Basic for legacy clients. Abuse is bounded by stage throttling.",
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
      // Explicit, for every route: the most requests per second the stage takes from all clients together.
      // The per-client share is WAF's (`wafRateLimit`, api-front.ts); the work in flight is bounded by the
      // functions' reserved concurrency (cdk/config.ts).
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
