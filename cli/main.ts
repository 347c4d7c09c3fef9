// `hexarchive`: the command line of a hexarchive catalogue (docs/cli.md). Parses the command line,
// loads the configuration and runs one command; its exit code tells scripts what happened.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Command, Flags } from "./command.ts";
import { downloadCommand } from "./commands/download.ts";
import { downloadListCommand } from "./commands/download-list.ts";
import { exportCommand, importCommand } from "./commands/export-import.ts";
import { withImportSources } from "./commands/import-sources/index.ts";
import { failuresCommand, statsCommand } from "./commands/operators.ts";
import { searchCommand } from "./commands/search.ts";
import { uploadCommand } from "./commands/upload.ts";
import { configPath, loadConfig } from "./config.ts";
import { CliError, EXIT } from "./errors.ts";
import { Api } from "./http.ts";

const COMMANDS: Command[] = [
  searchCommand,
  downloadCommand,
  downloadListCommand,
  uploadCommand,
  exportCommand,
  withImportSources(importCommand),
  failuresCommand,
  statsCommand,
];

const GLOBAL: Flags = {
  url: { type: "string" },
  user: { type: "string", short: "u" },
  json: { type: "boolean" },
  retries: { type: "string" },
  help: { type: "boolean", short: "h" },
};

const GLOBAL_HELP = `Global options:
  --url URL        the API (default: HEXARCHIVE_URL, "url" in the config file, http://localhost:3000)
  -u, --user NAME  sign in as NAME (password: HEXARCHIVE_PASSWORD or "password" in the config file)
  --json           one JSON document on stdout, for scripts
  --retries N      retries of a failed request (network, 429, 5xx; Retry-After honoured); default 5
  -h, --help       this help`;

function mainHelp(): string {
  return `hexarchive: search, download and upload Earth-observation products of a hexarchive catalogue.

Usage: hexarchive <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(15)}${c.summary}`).join("\n")}

${GLOBAL_HELP}

Configuration: ${configPath()} (JSON: url, user, password, s3.endpoint,
s3.bucket, s3.region, retries), then HEXARCHIVE_URL, HEXARCHIVE_USER, HEXARCHIVE_PASSWORD,
HEXARCHIVE_S3_ENDPOINT, HEXARCHIVE_BUCKET, then the command line.

Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 partly done (some files failed),
4 not signed in or not allowed (HTTP 401/403), 130 interrupted.

Examples:
  hexarchive search --bbox 14.2,49.9,14.7,50.2 --datetime 2024-06-01/2024-06-30
  hexarchive download -c sentinel-2-l2a --bbox 14.2,49.9,14.7,50.2 -o data/
  hexarchive <command> --help`;
}

const commandHelp = (c: Command) => `${c.summary}\n\nUsage: ${c.usage}\n\n${c.help}\n\n${GLOBAL_HELP}`;

export async function main(argv: string[]): Promise<number> {
  const err = process.stderr;
  const name = argv[0];
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const which = name === "help" ? COMMANDS.find((c) => c.name === argv[1]) : undefined;
    process.stdout.write(`${which ? commandHelp(which) : mainHelp()}\n`);
    return EXIT.ok;
  }
  if (name === "--version") {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    process.stdout.write(`${pkg.version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err.write(
      `hexarchive: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(", ")})\n`,
    );
    return EXIT.usage;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: { ...GLOBAL, ...command.flags },
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
  } catch (e) {
    err.write(
      `hexarchive ${name}: ${(e as Error).message}\nUsage: ${command.usage}   (hexarchive ${name} --help)\n`,
    );
    return EXIT.usage;
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (v["help"]) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  const json = v["json"] === true;
  try {
    const config = loadConfig({
      url: v["url"] as string | undefined,
      user: v["user"] as string | undefined,
      retries: v["retries"] as string | undefined,
    });
    return await command.run({
      values: v,
      positionals: parsed.positionals,
      config,
      api: new Api(config),
      json,
      out: process.stdout,
      err,
    });
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : EXIT.failure;
    const message = e instanceof CliError ? e.message : ((e as Error).stack ?? String(e));
    if (json) process.stdout.write(`${JSON.stringify({ error: message, exitCode: code })}\n`);
    err.write(`hexarchive ${name}: ${message}\n`);
    return code;
  }
}

process.on("SIGINT", () => process.exit(EXIT.interrupted));
process.exitCode = await main(process.argv.slice(2));
