// Bounds every STAC request before anything reads it — a path that decodes, with no segment longer than
// any id can be, and a body within the largest size and nesting any route accepts — in front of the
// auth guard and the routes, so that none of them can trip over malformed input (each route still
// parses its body with its own, possibly smaller, bound).
import { BadRequestError, PayloadTooLargeError } from "../errors.ts";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-input.ts";
import type { HttpRequest, RequestHandler } from "./types.ts";

/** DynamoDB allows 1,024 bytes per sort key; no collection id, item id or asset key is longer. */
export const MAX_SEGMENT_BYTES = 1024;
/** The largest body any route reads (bulk transactions); Lambda accepts 6 MB. */
export const MAX_BODY_BYTES = 5_000_000;

export function checkRequest(req: HttpRequest): void {
  for (const seg of req.path.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      throw new BadRequestError(`path segment '${seg.slice(0, 100)}' is not valid percent-encoding`);
    }
    if (Buffer.byteLength(decoded) > MAX_SEGMENT_BYTES)
      throw new BadRequestError(
        `path segment '${decoded.slice(0, 40)}…' is longer than ${MAX_SEGMENT_BYTES} bytes`,
      );
  }
  const body = req.body;
  if (body === undefined || body === "") return;
  if (body.length > MAX_BODY_BYTES || Buffer.byteLength(body) > MAX_BODY_BYTES)
    throw new PayloadTooLargeError(`request body: larger than ${MAX_BODY_BYTES} bytes`);
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH))
    throw new BadRequestError(`request body: JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
}

export function withRequestLimits(inner: RequestHandler): RequestHandler {
  return {
    async handle(req) {
      checkRequest(req);
      return inner.handle(req);
    },
  };
}
