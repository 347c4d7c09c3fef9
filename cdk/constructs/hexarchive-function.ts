// One place for what every hexarchive Lambda shares: runtime, architecture, ESM bundling, its own log group
// with retention and a role that holds only what the caller grants (no AWS managed policy).
import { type Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { WASM_FILE } from "../../shared/quicklook/jp2.ts";

/**
 * nodejs24.x is the newest Node runtime aws-cdk-lib 2.276 knows (cdk-nag AwsSolutions-L1 asks for the newest).
 * Handlers must also run on nodejs22.x (project rule), so stepping back is a one-line change here.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
const ESBUILD_TARGET = "node22";

/**
 * ESM output cannot `require`; bundled CommonJS dependencies still call it, so give the module one.
 * The alias keeps the import from clashing with names in the bundle.
 */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __hexarchiveCreateRequire } from 'node:module'; const require = __hexarchiveCreateRequire(import.meta.url);";

export interface HexarchiveFunctionProps {
  /** Absolute path of the handler module; it must export `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  /**
   * Executions reserved for this function, which are also its ceiling (cdk/config.ts
   * DEFAULT_RESERVED_CONCURRENCY). Undefined: none, the function shares the account's pool.
   */
  reservedConcurrency?: number | undefined;
  /** Shell commands run after bundling, to add files beside the bundle (the API's search page). */
  afterBundling?: ((inputDir: string, outputDir: string) => string[]) | undefined;
}

export class HexarchiveFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HexarchiveFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.description} (execution role)`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): write to this function's group only.
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.function = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: "handler",
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      role: this.role,
      logGroup: this.logGroup,
      // Text format on purpose: shared/log.ts already prints one JSON object per line, and the JSON format
      // would nest that line, as a string, inside the runtime's own JSON envelope.
      loggingFormat: lambda.LoggingFormat.TEXT,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: {
        ...props.environment,
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ["module", "main"],
        target: ESBUILD_TARGET,
        banner: CREATE_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Provided by the Lambda runtime; keeping them out makes bundles small and cold starts fast.
        externalModules: ["@aws-sdk/*"],
        // The JPEG 2000 decoder (quicklooks) loads its WebAssembly from beside the bundle.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp "${inputDir}/node_modules/@cornerstonejs/codec-openjpeg/dist/${WASM_FILE}" "${outputDir}/"`,
            ...(props.afterBundling?.(inputDir, outputDir) ?? []),
          ],
        },
      },
    });

    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.",
      });
    }
  }

  /**
   * Lets the function invoke itself (a job that runs out of time goes on in a new invocation). A policy
   * of its own: in the role's default policy the function's ARN would make the function depend on itself.
   */
  allowSelfInvoke(): void {
    new iam.Policy(this, "ContinuePolicy", {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ["lambda:InvokeFunction"],
          resources: [this.function.functionArn],
        }),
      ],
    });
  }
}
