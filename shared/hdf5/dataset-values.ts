// The values of a small dataset (a netCDF coordinate variable such as a grid's latitudes): its shape,
// type and layout from the object header, then one ranged read of its data. Only unfiltered compact or
// contiguous data is read; chunked or compressed data is refused, never guessed.
import { ByteCursor } from "./byte-cursor.ts";
import { decodeDataspace, elementCount } from "./dataspace.ts";
import { decodeDatatype } from "./datatype.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";
import { messageCursor } from "./messages.ts";
import { MSG, MSG_FLAG_SHARED, type ObjectHeader } from "./object-header.ts";
import { decodeElements, type Hdf5Scalar } from "./values.ts";

const LAYOUT = 0x08;
const FILTER_PIPELINE = 0x0b;

export interface DatasetValues {
  shape: number[];
  /** Row-major; undefined for a datatype the reader does not decode. */
  values: Hdf5Scalar[] | undefined;
}

export interface DatasetOptions {
  /** Refuse datasets of more dimensions before any data is read (coordinate variables: 1). */
  maxRank?: number;
}

export async function readDatasetValues(
  ctx: FileContext,
  header: ObjectHeader,
  opts: DatasetOptions = {},
): Promise<DatasetValues> {
  const message = (type: number, what: string) => {
    const m = header.messages.find((x) => x.type === type);
    if (!m) throw hdf5Error(`dataset has no ${what} message`, header.address);
    if (m.flags & MSG_FLAG_SHARED) throw hdf5Error(`shared ${what} messages are not supported`, m.at);
    return m;
  };
  const space = decodeDataspace(messageCursor(ctx, message(MSG.dataspace, "dataspace")));
  const type = decodeDatatype(messageCursor(ctx, message(MSG.datatype, "datatype")));
  const count = elementCount(space);
  if (count > ctx.limits.maxElements)
    throw hdf5Error(`dataset of ${count} elements, more than the ${ctx.limits.maxElements} allowed`);
  const shape = space.kind === "null" ? [] : space.dims;
  if (opts.maxRank !== undefined && shape.length > opts.maxRank)
    throw hdf5Error(`dataset has ${shape.length} dimensions, more than the ${opts.maxRank} asked for`);
  if (header.messages.some((m) => m.type === FILTER_PIPELINE))
    throw hdf5Error("dataset is filtered (compressed); only unfiltered data is read", header.address);
  const layout = message(LAYOUT, "data layout");
  const c = messageCursor(ctx, layout);
  const version = c.u8("layout version");
  if (version !== 3 && version !== 4)
    throw hdf5Error(`unsupported data layout version ${version}`, layout.at);
  const cls = c.u8("layout class");
  const bytes = count * type.size;
  let data: ByteCursor;
  if (cls === 0) {
    const size = c.u16("compact data size");
    if (size < bytes) throw hdf5Error(`compact data of ${size} bytes for ${bytes} expected`, layout.at);
    data = new ByteCursor(c.take(size, "compact data"), c.at, ctx.offsetSize, ctx.lengthSize);
  } else if (cls === 1) {
    const address = c.address("contiguous data address");
    const size = c.length("contiguous data size");
    // Never written: the whole dataset is its fill value, which says nothing about the grid.
    if (address === undefined) return { shape, values: undefined };
    if (size < bytes) throw hdf5Error(`contiguous data of ${size} bytes for ${bytes} expected`, layout.at);
    ctx.note("contiguous data");
    data = await ctx.cursor(address, bytes, "dataset data");
  } else {
    throw hdf5Error(`dataset stored in layout class ${cls} (chunked or virtual) is not read`, layout.at);
  }
  return { shape, values: await decodeElements(ctx, type, data, count) };
}
