// What the CLI's commands fail with, and the exit code each failure gives (documented in docs/cli.md).

export const EXIT = {
  ok: 0,
  /** The command failed: an API error, the network, a checksum that never matched. */
  failure: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** Some files were done and some failed (download, upload). */
  partial: 3,
  /** Not signed in, or not allowed (HTTP 401/403). */
  auth: 4,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** An answer of the API that is not what the command needed: status and the API's own description. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(
      `HTTP ${status} ${code}: ${description}`,
      status === 401 || status === 403 ? EXIT.auth : EXIT.failure,
    );
  }
}
