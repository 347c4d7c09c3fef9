// The bounding box of all the grids in a GRIB file, in STAC's -180..180: longitudes are taken round the
// circle (files write 0..360 or -180..180), so a box may cross the antimeridian (west > east).
import type { BBox } from "../../stac/types.ts";
import type { GribMessage } from "./grib-sections.ts";

export function gridBbox(messages: Pick<GribMessage, "extent" | "global">[]): BBox {
  const known = messages.flatMap((m) => (m.extent ? [{ extent: m.extent, global: m.global }] : []));
  if (known.length === 0) return [-180, -90, 180, 90];
  const south = Math.min(...known.map((m) => m.extent[1]));
  const north = Math.max(...known.map((m) => m.extent[3]));
  if (known.some((m) => m.global)) return [-180, south, 180, north];
  // Each grid as an arc [start, end] with start in -180..180; merge the arcs, then leave out the widest
  // stretch of longitude no grid covers.
  const arcs = known
    .map(({ extent: [west, , east] }) => {
      const start = wrap(west);
      return { start, end: start + ((((east - west) % 360) + 360) % 360) };
    })
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const arc of arcs) {
    const last = merged.at(-1);
    if (last && arc.start <= last.end) last.end = Math.max(last.end, arc.end);
    else merged.push({ ...arc });
  }
  let gapAfter = merged.length - 1;
  let widest = merged[0]!.start + 360 - merged.at(-1)!.end;
  for (let i = 0; i + 1 < merged.length; i++) {
    const gap = merged[i + 1]!.start - merged[i]!.end;
    if (gap > widest) [widest, gapAfter] = [gap, i];
  }
  if (widest <= 0) return [-180, south, 180, north];
  const west = merged[(gapAfter + 1) % merged.length]!.start;
  const east = wrap(merged[gapAfter]!.end, true);
  return [west, south, east, north];
}

/** A longitude in -180..180; `east` keeps 180 rather than -180 for the end of a box. */
function wrap(lon: number, east = false): number {
  const w = ((((lon + 180) % 360) + 360) % 360) - 180;
  return east && w === -180 ? 180 : w;
}
