#!/usr/bin/env node
// The `hexarchive` command of the checkout: runs the TypeScript sources through tsx's loader (a dev
// dependency), so `npx hexarchive` works in a checkout after `npm ci` without a build step. The
// installable package is cli/package.json (`hexarchive-cli`), built into cli/dist/ by cli/build.ts.
import { register } from "tsx/esm/api";

register();
await import("../main.ts");
