// The item ids a stac-geoparquet file holds, reading its `id` column only.
import { parquetReadObjects } from "hyparquet";

export async function snapshotIds(bytes: Uint8Array): Promise<string[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, columns: ["id"] });
  return rows.map((r) => String(r["id"]));
}
