// Every HDF5 structure we cannot trust becomes a ProductError naming the structure and its byte offset.
import { ProductError } from "../errors.ts";

export function hdf5Error(what: string, at?: number): ProductError {
  return new ProductError(at === undefined ? `HDF5: ${what}` : `HDF5: ${what} (at byte ${at})`);
}
