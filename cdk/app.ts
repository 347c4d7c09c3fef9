// Composition root of the CDK app: configuration in, one stack out, checked by cdk-nag on every synth.
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { loadCdkConfig } from "./config.ts";
import { HexarchiveStack } from "./stacks/hexarchive-stack.ts";

const app = new App();
const config = loadCdkConfig((key) => app.node.tryGetContext(key));

new HexarchiveStack(app, `Hexarchive-${config.stage}`, {
  config,
  description: `hexarchive (${config.stage}): Copernicus product archive, STAC API and presigned downloads`,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
