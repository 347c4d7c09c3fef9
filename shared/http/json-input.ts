// JSON from callers (request bodies and JSON-valued parameters) parsed within fixed bounds of size and
// nesting, so that nothing downstream that walks it recursively (CQL2, GeoJSON, fingerprints,
// JSON.stringify) can run out of stack: JSON.parse itself accepts a million levels.
import { BadRequestError, PayloadTooLargeError } from "../errors.ts";

/** Deeper than any STAC item, GeoJSON geometry or CQL2 filter the parsers accept (CQL2 stops at 100 nodes). */
export const MAX_JSON_DEPTH = 256;
/** Search and aggregation bodies; transactions pass their own, larger bound. */
export const MAX_JSON_BYTES = 1_000_000;

/**
 * The deepest nesting of arrays and objects in JSON text, stopping as soon as it passes `max`; a
 * linear scan that skips strings, so that the check costs less than the parse it guards.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export interface JsonLimits {
  maxBytes?: number;
  maxDepth?: number;
}

/** Parses `text` as JSON for `what` (a parameter name, or "request body"); 400 or 413 name it. */
export function parseJsonText(text: string, what: string, limits: JsonLimits = {}): unknown {
  const maxBytes = limits.maxBytes ?? MAX_JSON_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  // Characters first: cheap, and never fewer than the bytes.
  if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes)
    throw new PayloadTooLargeError(`${what}: larger than ${maxBytes} bytes`);
  if (jsonDepthExceeds(text, maxDepth))
    throw new BadRequestError(`${what}: JSON nested more than ${maxDepth} levels deep`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequestError(`${what}: not valid JSON (${(e as Error).message})`);
  }
}

/** A JSON object (not null, an array, a string or a number), as every route that takes a body wants. */
export function parseJsonObject(
  text: string,
  what: string,
  limits: JsonLimits = {},
): Record<string, unknown> {
  const v = parseJsonText(text, what, limits);
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new BadRequestError(
      `${what}: must be a JSON object, got ${v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`}`,
    );
  return v as Record<string, unknown>;
}
