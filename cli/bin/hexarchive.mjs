#!/usr/bin/env node
// The `hexarchive` command: runs the TypeScript sources through tsx's loader (a dependency of the
// checkout), so `npx hexarchive` and `npm i -g .` work without a build step.
import { register } from "tsx/esm/api";

register();
await import("../main.ts");
