// Attribute messages (versions 1-3): name, datatype, dataspace and the raw value bytes.
import { ByteCursor, utf8 } from "./byte-cursor.ts";
import { type Dataspace, decodeDataspace, elementCount } from "./dataspace.ts";
import { type Datatype, decodeDatatype } from "./datatype.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";
import { MSG, objectHeader } from "./object-header.ts";

export interface AttributeMessage {
  name: string;
  datatype: Datatype;
  dataspace: Dataspace;
  data: ByteCursor;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

export async function decodeAttributeMessage(ctx: FileContext, c: ByteCursor): Promise<AttributeMessage> {
  const at = c.at;
  const version = c.u8("attribute message version");
  if (version < 1 || version > 3) throw hdf5Error(`unsupported attribute message version ${version}`, at);
  const flags = c.u8("attribute flags");
  const nameSize = c.u16("attribute name size");
  const typeSize = c.u16("attribute datatype size");
  const spaceSize = c.u16("attribute dataspace size");
  if (version === 3) c.u8("attribute name character set");
  const pad = version === 1 ? pad8 : (n: number) => n;
  const nameBytes = c.take(pad(nameSize), "attribute name");
  const end = nameBytes.indexOf(0);
  const name = utf8.decode(nameBytes.subarray(0, end >= 0 ? Math.min(end, nameSize) : nameSize));
  const typeCursor = sub(ctx, c, typeSize, pad(typeSize), `datatype of attribute "${name}"`);
  const spaceCursor = sub(ctx, c, spaceSize, pad(spaceSize), `dataspace of attribute "${name}"`);
  if (flags & 0x02) throw hdf5Error(`attribute "${name}" has a shared dataspace, which is not supported`, at);
  const datatype = flags & 0x01 ? await sharedDatatype(ctx, typeCursor, name) : decodeDatatype(typeCursor);
  const dataspace = decodeDataspace(spaceCursor);
  const count = elementCount(dataspace);
  if (count > ctx.limits.maxElements) {
    throw hdf5Error(`attribute "${name}" has ${count} elements, more than ${ctx.limits.maxElements}`, at);
  }
  const dataSize = count * datatype.size;
  const data = sub(ctx, c, dataSize, dataSize, `value of attribute "${name}"`);
  return { name, datatype, dataspace, data };
}

function sub(ctx: FileContext, c: ByteCursor, length: number, advance: number, what: string): ByteCursor {
  const at = c.at;
  const bytes = c.take(Math.max(length, Math.min(advance, c.remaining)), what).subarray(0, length);
  return new ByteCursor(bytes, at, ctx.offsetSize, ctx.lengthSize);
}

/** A committed (named) datatype: the message points to the object header that holds it. */
async function sharedDatatype(ctx: FileContext, c: ByteCursor, name: string): Promise<Datatype> {
  ctx.note("committed datatype");
  const at = c.at;
  const version = c.u8("shared message version");
  const type = c.u8("shared message type");
  if (version === 1) c.skip(6);
  else if (version < 1 || version > 3) throw hdf5Error(`unsupported shared message version ${version}`, at);
  if (version === 3 && type !== 2) {
    throw hdf5Error(
      `attribute "${name}" uses a datatype from the shared message heap, which is not supported`,
      at,
    );
  }
  const address = c.address("committed datatype address");
  if (address === undefined)
    throw hdf5Error(`attribute "${name}" points to an undefined committed datatype`, at);
  const header = await objectHeader(ctx, address);
  const m = header.messages.find((x) => x.type === MSG.datatype);
  if (!m)
    throw hdf5Error(`committed datatype of attribute "${name}" has no datatype message`, ctx.base + address);
  return decodeDatatype(new ByteCursor(m.body, m.at, ctx.offsetSize, ctx.lengthSize));
}
