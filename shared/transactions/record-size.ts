// DynamoDB stores an item or a collection as one record of at most 400 KB: a write that cannot fit is
// the caller's to shrink, a 413, never a 500 (checked before writing, and DynamoDB's own refusal mapped).
import { PayloadTooLargeError } from "../errors.ts";

/** DynamoDB's limit for one stored record; the record holds the JSON and more besides. */
export const MAX_RECORD_BYTES = 400 * 1024;

/** A 413 naming `what` when the JSON of `value` alone passes the limit. */
export function checkRecordSize(what: string, value: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > MAX_RECORD_BYTES)
    throw new PayloadTooLargeError(`${what} is ${bytes} bytes of JSON; at most ${MAX_RECORD_BYTES} fit`);
}

/** DynamoDB refuses an item or key over its size limits with a ValidationException naming the size. */
const sizeRefusal = (err: unknown) =>
  (err as { name?: unknown }).name === "ValidationException" && /size/i.test(String((err as Error).message));

/** Runs the write; DynamoDB's size refusal becomes a 413 naming `what`. */
export async function withinRecordLimit<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!sizeRefusal(err)) throw err;
    throw new PayloadTooLargeError(
      `${what} with its index entries is larger than the catalogue can store (400 KB per record)`,
    );
  }
}
