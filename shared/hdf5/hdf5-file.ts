// A read-only view of an HDF5 (netCDF-4) file's metadata through ranged reads: resolve a path to an
// object, list a group's members, read an object's attributes, and the values of small unfiltered
// datasets (coordinate variables). Science data is never read.
import type { RangeReader, ReadStats } from "../zip/range-reader.ts";
import { readAttributeMessages } from "./attributes.ts";
import { BlockSource, DEFAULT_BLOCK_SIZE } from "./block-source.ts";
import { type DatasetOptions, type DatasetValues, readDatasetValues } from "./dataset-values.ts";
import { elementCount } from "./dataspace.ts";
import { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";
import { DEFAULT_HDF5_LIMITS, type Hdf5Limits } from "./limits.ts";
import { findLink, isGroup, listLinks } from "./links.ts";
import { MSG, type ObjectHeader, objectHeader } from "./object-header.ts";
import { readSuperblock, type Superblock } from "./superblock.ts";
import { decodeElements, type Hdf5Value } from "./values.ts";

export type { DatasetOptions, DatasetValues } from "./dataset-values.ts";
export type { Hdf5Scalar, Hdf5Value } from "./values.ts";

export interface Hdf5Attribute {
  name: string;
  /** The decoded value; undefined for a datatype we do not decode (named in `type`). */
  value: Hdf5Value | undefined;
  /** "integer", "float", "string", "vlen-string", or the kind of an undecoded type, e.g. "compound". */
  type: string;
  /** Dimensions: [] for a scalar, null for an empty (null) dataspace. */
  shape: number[] | null;
}

export interface Hdf5Member {
  name: string;
  kind: "group" | "dataset" | "datatype" | "soft-link" | "external-link";
}

export interface Hdf5File {
  readonly superblock: Superblock;
  /** Ranged requests and bytes this file has cost so far. */
  readonly stats: ReadStats;
  /** The format variants met so far, e.g. "superblock v0", "object header v2", "dense links". */
  readonly features: ReadonlySet<string>;
  /** Whether an object exists at the path. */
  exists(path: string): Promise<boolean>;
  /** The members of the group at `path`; undefined when there is no such object. */
  members(path: string): Promise<Hdf5Member[] | undefined>;
  /** The attributes of the object at `path` (only `names`, if given); undefined when there is no object. */
  attributes(path: string, names?: readonly string[]): Promise<Hdf5Attribute[] | undefined>;
  /**
   * The values of the dataset at `path` (small, unfiltered, compact or contiguous: coordinate
   * variables); undefined when there is no such object.
   */
  values(path: string, opts?: DatasetOptions): Promise<DatasetValues | undefined>;
}

export interface Hdf5Options {
  limits?: Partial<Hdf5Limits>;
  blockSize?: number;
}

export async function openHdf5(reader: RangeReader, opts: Hdf5Options = {}): Promise<Hdf5File> {
  const limits = { ...DEFAULT_HDF5_LIMITS, ...opts.limits };
  const source = new BlockSource(reader, limits.maxMetadataBytes, opts.blockSize ?? DEFAULT_BLOCK_SIZE);
  const superblock = await readSuperblock(source);
  const ctx = new FileContext(source, superblock.offsetSize, superblock.lengthSize, superblock.at, limits);
  ctx.note(`superblock v${superblock.version}`);
  if (superblock.at > 0) ctx.note("user block");
  const resolve = (path: string) => resolvePath(ctx, superblock.rootObjectHeader, path);

  return {
    superblock,
    stats: source.stats,
    features: ctx.features,
    exists: async (path) => (await resolve(path)) !== undefined,
    async members(path) {
      const address = await resolve(path);
      if (address === undefined) return undefined;
      const links = await listLinks(ctx, await objectHeader(ctx, address));
      const out: Hdf5Member[] = [];
      for (const l of links) {
        if (l.target.kind === "soft") out.push({ name: l.name, kind: "soft-link" });
        else if (l.target.kind === "external") out.push({ name: l.name, kind: "external-link" });
        else out.push({ name: l.name, kind: objectKind(await objectHeader(ctx, l.target.address)) });
      }
      return out;
    },
    async attributes(path, names) {
      const address = await resolve(path);
      if (address === undefined) return undefined;
      const messages = await readAttributeMessages(ctx, await objectHeader(ctx, address), names);
      const out: Hdf5Attribute[] = [];
      for (const m of messages) {
        const count = elementCount(m.dataspace);
        const values = await decodeElements(ctx, m.datatype, m.data, count);
        const type = m.datatype.class === "other" ? m.datatype.name : m.datatype.class;
        const shape = m.dataspace.kind === "null" ? null : m.dataspace.dims;
        let value: Hdf5Value | undefined;
        if (values === undefined) value = undefined;
        else if (m.dataspace.kind === "null") value = null;
        else value = m.dataspace.kind === "scalar" ? values[0]! : values;
        out.push({ name: m.name, value, type, shape });
      }
      return out;
    },
    async values(path, opts) {
      const address = await resolve(path);
      if (address === undefined) return undefined;
      return readDatasetValues(ctx, await objectHeader(ctx, address), opts);
    },
  };
}

/** A group has a link index; a dataset a dataspace; a committed datatype only its datatype. */
function objectKind(header: ObjectHeader): "group" | "dataset" | "datatype" {
  if (isGroup(header)) return "group";
  const has = (type: number) => header.messages.some((m) => m.type === type);
  return !has(MSG.dataspace) && has(MSG.datatype) ? "datatype" : "dataset";
}

/** The object header address at `path` ("/", "/a/b", soft links followed), or undefined. */
async function resolvePath(ctx: FileContext, root: number, path: string): Promise<number | undefined> {
  let hops = 0;
  const walk = async (from: number, parts: string[]): Promise<number | undefined> => {
    let here = from;
    // As in the library, "." is the group itself and ".." is an ordinary name, not the parent.
    for (const part of parts) {
      if (part === "" || part === ".") continue;
      if (++hops > ctx.limits.maxPathDepth) {
        throw hdf5Error(
          `path "${path}" needs more than ${ctx.limits.maxPathDepth} steps (a soft-link loop?)`,
        );
      }
      const header = await objectHeader(ctx, here);
      if (!isGroup(header)) return undefined;
      const link = await findLink(ctx, header, part);
      if (!link) return undefined;
      if (link.target.kind === "hard") here = link.target.address;
      else if (link.target.kind === "soft") {
        ctx.note("soft link");
        const target = link.target.path;
        const next = await walk(target.startsWith("/") ? root : here, target.split("/"));
        if (next === undefined) return undefined;
        here = next;
      } else
        throw hdf5Error(`"${part}" in "${path}" is an external link to ${link.target.file}, not followed`);
    }
    return here;
  };
  return walk(root, path.split("/"));
}
