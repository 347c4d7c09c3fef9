// The item ids a stac-geoparquet object holds, read by ranged GETs of its footer and `id` column only.
import { type AsyncBuffer, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import type { ObjectStore } from "../storage/object-store.ts";

export async function snapshotIds(objects: ObjectStore, key: string, size: number): Promise<string[]> {
  const file: AsyncBuffer = {
    byteLength: size,
    slice: async (start, end) => {
      const b = await objects.getRange(key, start, end ?? size);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
  const metadata = await parquetMetadataAsync(file);
  const rows = await parquetReadObjects({ file, metadata, columns: ["id"] });
  return rows.map((r) => String(r["id"]));
}
