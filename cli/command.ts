// What a CLI command is: its flags (node:util parseArgs), its help with examples, and what it runs.
import type { ParseArgsConfig } from "node:util";
import type { CliConfig } from "./config.ts";
import type { Api } from "./http.ts";

export type Flags = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Context {
  values: Values;
  positionals: string[];
  config: CliConfig;
  api: Api;
  /** --json: one JSON document on stdout, nothing else there. */
  json: boolean;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Options and examples, after the usage line. */
  help: string;
  flags: Flags;
  positionals?: boolean;
  /** The exit code. */
  run(ctx: Context): Promise<number>;
}

export const str = (v: unknown) => (typeof v === "string" ? v : undefined);
export const strs = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []);

export function writeJson(ctx: Context, value: unknown): void {
  ctx.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
