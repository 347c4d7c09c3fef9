// Every kind of partition has its own prefix, so IAM can grant the API writes to leases and statistics
// without granting writes to the index.
import { describe, expect, it } from "vitest";
import {
  API_WRITABLE_PREFIXES,
  cellRowKey,
  changeKeys,
  cloudBandRowKey,
  collectionKey,
  deadLetterKey,
  dispatcherKey,
  downloadKey,
  failureKey,
  groupRowKey,
  itemKey,
  jobKey,
  type Key,
  leadingKeyPatterns,
  leaseKey,
  mirrorCursorKey,
  objectKey,
  PARTITION_PREFIXES,
  type PartitionKind,
  queueKey,
  reindexKey,
  SEARCH_USAGE_SHARDS,
  SUBSCRIPTIONS_WRITABLE_PREFIXES,
  searchParamsKey,
  statsKey,
  subscriptionKey,
  tileFootprintKey,
  tileRowKey,
  timeRowKey,
  toldKey,
  tombstoneKey,
  tombstoneTimeKey,
} from "../../shared/index/keys.ts";
import { stringLike } from "../support/string-like.ts";

const t = "2024-05-01T10:00:00.000Z";
// Names chosen to look like other kinds' keys: a collection "2024-05" has tile rows `P#2024-05#…`, which
// an old pattern for monthly counters (`P#*`) matched.
const sneaky = ["2024-05", "L#x", "U#2024-05", "D#", "*"];
const keysByKind: Record<PartitionKind, Key[]> = {
  collections: sneaky.map((c) => collectionKey(c)),
  items: sneaky.map((c) => itemKey(c, "id")),
  timeRows: sneaky.map((c) => timeRowKey(c, t, "id")),
  spatialRows: sneaky.flatMap((c) => [
    cellRowKey(c, "8a1fb46622dffff", t, "id"),
    groupRowKey(c, "821fa7fffffffff", t, "id"),
  ]),
  tileRows: sneaky.flatMap((c) => [
    tileRowKey(c, "MGRS-33UVR", t, "id"),
    cloudBandRowKey(c, "L#x", 10, t, "id"),
  ]),
  rowCounts: sneaky.flatMap((c) => [
    statsKey(c, "801ffff"),
    tileFootprintKey(c, "821fa7fffffffff", "33UVR"),
    reindexKey(c),
  ]),
  objects: sneaky.map((k) => objectKey(k)),
  failures: sneaky.map((k) => failureKey(k)),
  leases: sneaky.map((u) => leaseKey(u)),
  downloads: [downloadKey(t, "abc123")],
  searchUsage: [searchParamsKey("2024-05", 0), searchParamsKey("2024-05", SEARCH_USAGE_SHARDS - 1)],
  changes: sneaky.flatMap((c) => changeKeys(`${t}~0011aabb`, c)),
  mirrors: sneaky.map((c) => mirrorCursorKey(`http://x/${c}`, c)),
  tombstones: sneaky.map((c) => tombstoneKey(c, "id")),
  tombstoneTimes: sneaky.map((c) => tombstoneTimeKey(c, t, "id")),
  subscriptions: sneaky.map((u) => subscriptionKey(u, "id")),
  subscriptionQueues: sneaky.map((s) => queueKey(s, 7)),
  deadLetters: sneaky.map((s) => deadLetterKey(s, "000000000000007")),
  toldProducts: sneaky.map((c) => toldKey(c, "id", "sub")),
  dispatcher: [dispatcherKey],
  jobs: sneaky.map((id) => jobKey(id)),
};
const kinds = Object.keys(PARTITION_PREFIXES) as PartitionKind[];

describe("partition prefixes", () => {
  it("are such that none starts another", () => {
    for (const a of kinds)
      for (const b of kinds)
        if (a !== b)
          expect(PARTITION_PREFIXES[b].startsWith(PARTITION_PREFIXES[a]), `${a} / ${b}`).toBe(false);
  });

  it.each(kinds)("are what every key of kind %s starts with", (kind) => {
    for (const k of keysByKind[kind]) expect(k.pk.startsWith(PARTITION_PREFIXES[kind]), k.pk).toBe(true);
  });

  it("let the API's IAM patterns match every key it writes and no other", () => {
    const patterns = leadingKeyPatterns(API_WRITABLE_PREFIXES);
    const writable = new Set<PartitionKind>([
      "leases",
      "downloads",
      "searchUsage",
      "subscriptions",
      "subscriptionQueues",
      "deadLetters",
      "jobs",
    ]);
    for (const kind of kinds) {
      for (const k of keysByKind[kind]) {
        expect(
          patterns.some((p) => stringLike(p, k.pk)),
          `${kind} ${k.pk}`,
        ).toBe(writable.has(kind));
      }
    }
  });

  it("let the subscriptions function write only the subscriptions' partitions", () => {
    const patterns = leadingKeyPatterns(SUBSCRIPTIONS_WRITABLE_PREFIXES);
    const own = new Set<PartitionKind>([
      "subscriptions",
      "subscriptionQueues",
      "deadLetters",
      "toldProducts",
      "dispatcher",
    ]);
    for (const kind of kinds)
      for (const k of keysByKind[kind])
        expect(
          patterns.some((p) => stringLike(p, k.pk)),
          `${kind} ${k.pk}`,
        ).toBe(own.has(kind));
  });
});
