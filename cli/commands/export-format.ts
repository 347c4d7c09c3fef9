// The export formats: the light part of `export`'s options, kept apart from the stac-geoparquet
// code, which the command loads only when asked for it.
import { UsageError } from "../errors.ts";

export const EXPORT_FORMATS = ["ndjson", "geoparquet"] as const;

export function exportFormat(v: unknown): (typeof EXPORT_FORMATS)[number] {
  const f = typeof v === "string" ? v : "ndjson";
  if (!(EXPORT_FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format: one of ${EXPORT_FORMATS.join(", ")}`);
  return f as (typeof EXPORT_FORMATS)[number];
}
