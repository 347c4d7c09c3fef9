// The export formats and what an exported collection leaves out: the light part of `export`'s
// options, kept apart from the stac-geoparquet code, which the command loads only when asked for it.
import { UsageError } from "../errors.ts";

export const EXPORT_FORMATS = ["ndjson", "geoparquet"] as const;

export function exportFormat(v: unknown): (typeof EXPORT_FORMATS)[number] {
  const f = typeof v === "string" ? v : "ndjson";
  if (!(EXPORT_FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format: one of ${EXPORT_FORMATS.join(", ")}`);
  return f as (typeof EXPORT_FORMATS)[number];
}

/**
 * A collection's assets without its monthly snapshots (links into the exporting catalogue, which the
 * importing one makes for itself).
 */
export function withoutSnapshots<A extends { roles?: string[] }>(
  assets: Record<string, A>,
): Record<string, A> {
  return Object.fromEntries(
    Object.entries(assets).filter(
      ([k, a]) => !(/^snapshot-\d{4}-\d{2}$/.test(k) && (a.roles ?? []).includes("collection-mirror")),
    ),
  );
}
