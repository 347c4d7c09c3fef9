// The one error model: every failure a caller can act on is a CatalogueError with an HTTP status,
// a STAC error code and whether retrying can help. They become HTTP answers in shared/http/errors-to-http.ts
// (the DHuS hub answers its own clients' form, shared/dhus/routes.ts).

export class CatalogueError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  /** When retrying can help after a known wait: the answer's Retry-After, in seconds. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    status: number,
    code: string,
    description: string,
    opts: { retryable?: boolean; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(description, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** None of the representations the client accepts can be produced (`Accept`). */
export class NotAcceptableError extends CatalogueError {
  constructor(description: string) {
    super(406, "NotAcceptable", description);
  }
}

/** The request is malformed: names the parameter and what was expected. */
export class BadRequestError extends CatalogueError {
  constructor(description: string) {
    super(400, "BadRequest", description);
  }
}

export class NotFoundError extends CatalogueError {
  constructor(description: string) {
    super(404, "NotFound", description);
  }
}

/** The resource existed and was deleted on purpose: the description says why, by whom and when. */
export class GoneError extends CatalogueError {
  constructor(description: string) {
    super(410, "Gone", description);
  }
}

export class UnauthorizedError extends CatalogueError {
  constructor(description = "Authentication is required") {
    super(401, "Unauthorized", description);
  }
}

export class ForbiddenError extends CatalogueError {
  constructor(description: string) {
    super(403, "Forbidden", description);
  }
}

export class ConflictError extends CatalogueError {
  constructor(description: string) {
    super(409, "Conflict", description);
  }
}

/** The request (or one item in it) is larger than this API accepts. */
export class PayloadTooLargeError extends CatalogueError {
  constructor(description: string) {
    super(413, "PayloadTooLarge", description);
  }
}

/** A product that can never be indexed as it is (corrupt, unknown, invalid): record it, do not retry. */
export class ProductError extends CatalogueError {
  constructor(description: string, opts: { cause?: unknown } = {}) {
    super(422, "InvalidProduct", description, opts);
  }
}

/** A dependency failed in a way that may pass (throttling, a network blip): retry later. */
export class TransientError extends CatalogueError {
  constructor(description: string, opts: { cause?: unknown } = {}) {
    super(503, "ServiceUnavailable", description, { retryable: true, ...opts });
  }
}
