// The one place errors become HTTP: CatalogueErrors keep their status and message; anything else is a
// 500 with a fixed description, its details going to the log only.

import { CatalogueError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type HttpResponse, json } from "./types.ts";

export function errorResponse(
  err: unknown,
  log: Logger,
  context: Record<string, unknown> = {},
): HttpResponse {
  if (err instanceof CatalogueError) {
    if (err.status >= 500) log.error(err.message, { ...context, code: err.code });
    const retry = err.retryAfterSeconds === undefined ? {} : { "retry-after": String(err.retryAfterSeconds) };
    return json(err.status, { code: err.code, description: err.message }, retry);
  }
  log.error("unhandled error", { ...context, error: String(err), stack: (err as Error)?.stack });
  return json(500, {
    code: "InternalServerError",
    description: "An internal error occurred; it has been logged.",
  });
}
