// Composition root of the CDK app: configuration in, the stage's stacks out, checked by cdk-nag on every synth.
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { loadCdkConfig, loadDeployTarget } from "./config.ts";
import { addHexarchiveStacks } from "./stacks/hexarchive-app.ts";

const app = new App();
const config = loadCdkConfig((key) => app.node.tryGetContext(key));

addHexarchiveStacks(app, config, loadDeployTarget(process.env));

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
