// Bounds on what one file may make the reader fetch or walk: a corrupt or hostile file must fail with a
// ProductError, never hang or exhaust memory.

export interface Hdf5Limits {
  /** Metadata bytes fetched from the object, all structures together. */
  maxMetadataBytes: number;
  /** One structure (object header chunk, heap, B-tree node, global heap collection). */
  maxStructureBytes: number;
  /** Nodes, blocks or chunks visited while walking one structure (B-tree, heap, header chain). */
  maxNodes: number;
  /** Elements in one attribute value. */
  maxElements: number;
  /** Path components and soft links followed when resolving one path. */
  maxPathDepth: number;
}

export const DEFAULT_HDF5_LIMITS: Hdf5Limits = {
  maxMetadataBytes: 8 * 1024 * 1024,
  maxStructureBytes: 4 * 1024 * 1024,
  maxNodes: 100_000,
  maxElements: 1_000_000,
  maxPathDepth: 64,
};
