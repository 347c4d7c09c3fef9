// One month's snapshot file written in bounded chunks that a refresh checkpoints between (snapshots.ts):
// first the month's items are read page by page to plan the file's columns, then read again and written
// as row groups into a multipart upload of the file, a part at a time, the row groups' metadata kept in
// the progress until the last part, which ends with the footer; a chunk of its own completes the upload
// (again, after a stop: then the file it made may already be there). No chunk holds more than a row
// group and a page of items; the month's old file stays whole until the new one completes.
import { UNRESTRICTED } from "../auth/authorize.ts";
import type { PagingTokens } from "../search/paging-tokens.ts";
import { searchItems } from "../search/search.ts";
import type { StacCollection, StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import { resumeStacGeoparquet } from "./geoparquet-resume.ts";
import { planItem } from "./geoparquet-schema.ts";
import { type PlanState, planOf, planState } from "./plan-state.ts";
import { PARQUET_MEDIA_TYPE, snapshotKey } from "./snapshot-keys.ts";

/** The multipart uploads a month is written with (shared/jobs/multipart.ts S3PartUploads is one). */
export interface MonthUploads {
  begin(key: string, contentType: string): Promise<string>;
  part(key: string, uploadId: string, n: number, body: Uint8Array): Promise<{ n: number; etag: string }>;
  complete(
    key: string,
    uploadId: string,
    parts: { n: number; etag: string }[],
    contentType: string,
  ): Promise<void>;
  abort(key: string, uploadId: string): Promise<void>;
}

export interface MonthSettings {
  /** Items per search page. */
  pageSize: number;
  /** Items per row group, and per planning chunk. */
  rows: number;
  /** A part is uploaded once this many bytes are ready (S3: at least 5 MiB but for the last). */
  partBytes: number;
}

export const DEFAULT_MONTH_SETTINGS: MonthSettings = { pageSize: 1000, rows: 10_000, partBytes: 8 * 2 ** 20 };

export interface MonthDeps {
  catalogue: Catalogue;
  uploads: MonthUploads;
  /** The products bucket, where a completed file is looked for. */
  objects: Pick<ObjectStore, "head">;
  tokens: PagingTokens;
  settings: MonthSettings;
}

/** Where a month stands: JSON, saved between chunks. */
export interface MonthProgress {
  collection: string;
  month: string;
  phase: "plan" | "write" | "complete";
  /** The next page to read in this phase; absent before the first. */
  token?: string;
  plan: PlanState | null;
  uploadId?: string;
  parts: { n: number; etag: string }[];
  /** Bytes of the file written so far. */
  offset: number;
  /** Each part's row groups' metadata (geoparquet-resume.ts). */
  kept: string[];
  written: number;
}

export type MonthChunk =
  | { done: false; progress: MonthProgress }
  /** `items` 0: the month has none (no file written). */
  | { done: true; items: number; bytes: number };

export const startMonth = (collection: string, month: string): MonthProgress => ({
  collection,
  month,
  phase: "plan",
  plan: null,
  parts: [],
  offset: 0,
  kept: [],
  written: 0,
});

/** The month's bounds, inclusive, as the search takes them. */
function monthInterval(month: string) {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1));
  from.setUTCFullYear(y);
  const to = new Date(from);
  to.setUTCMonth(to.getUTCMonth() + 1);
  return { from: from.toISOString(), to: new Date(to.getTime() - 1).toISOString() };
}

/** One page of the month's items (every version), and the next page's token. */
async function page(deps: MonthDeps, p: MonthProgress, filed: (i: StacItem) => boolean) {
  const r = await searchItems(
    deps.catalogue,
    {
      collections: [p.collection],
      interval: monthInterval(p.month),
      limit: deps.settings.pageSize,
      versions: "all",
      ...(p.token ? { token: p.token } : {}),
    },
    UNRESTRICTED,
    { count: false, tokens: deps.tokens },
  );
  return { items: r.items.filter(filed), next: r.nextToken };
}

const withToken = (p: MonthProgress, next: string | undefined): MonthProgress => {
  const { token: _, ...rest } = p;
  return next ? { ...rest, token: next } : rest;
};

/** The plan without its item count: what a second read of the month must not widen. */
const columnsOf = (s: PlanState) => JSON.stringify({ ...s, items: 0, extent: undefined });

/**
 * The month's next chunk: planning up to a row group of items, or writing row groups until a part is
 * uploaded (or the file completes). `filed` says whether an item belongs to this month's file.
 */
export async function monthChunk(
  deps: MonthDeps,
  p: MonthProgress,
  filed: (i: StacItem) => boolean,
  collection: () => Promise<StacCollection | undefined>,
): Promise<MonthChunk> {
  const key = snapshotKey(p.collection, p.month);
  if (p.phase === "plan") {
    const plan = planOf(p.plan);
    let seen = 0;
    let cur = p;
    for (;;) {
      const { items, next } = await page(deps, cur, filed);
      for (const i of items) planItem(plan, i);
      seen += items.length;
      cur = withToken({ ...cur, plan: planState(plan) }, next);
      if (!next) break;
      if (seen >= deps.settings.rows) return { done: false, progress: cur };
    }
    if (plan.items === 0) return { done: true, items: 0, bytes: 0 };
    const uploadId = await deps.uploads.begin(key, PARQUET_MEDIA_TYPE);
    return { done: false, progress: { ...cur, phase: "write", uploadId } };
  }
  if (p.phase === "complete") {
    try {
      await deps.uploads.complete(key, p.uploadId!, p.parts, PARQUET_MEDIA_TYPE);
    } catch (e) {
      // Completed already by an invocation that stopped before it could say so: the file is there.
      if ((await deps.objects.head(key))?.size !== p.offset) throw e;
    }
    return { done: true, items: p.written, bytes: p.offset };
  }
  const planned = p.plan!;
  const file = resumeStacGeoparquet(planOf(planned), p.offset, deps.settings.rows);
  // Items that came or changed since the plan was made (a later refresh rewrites the month anyway) must
  // still fit its columns, or the month starts over.
  const check = planOf(planned);
  const out: Uint8Array[] = [];
  let size = 0;
  let written = p.written;
  let batch: StacItem[] = [];
  let cur = p;
  const flush = () => {
    const b = file.write(batch);
    written += batch.length;
    batch = [];
    out.push(b);
    size += b.length;
  };
  for (;;) {
    const { items, next } = await page(deps, cur, filed);
    for (const i of items) planItem(check, i);
    batch.push(...items);
    cur = withToken(cur, next);
    if (batch.length >= deps.settings.rows || !next) flush();
    if (!next || size >= deps.settings.partBytes) break;
  }
  if (columnsOf(planState(check)) !== columnsOf(planned)) {
    await deps.uploads.abort(key, p.uploadId!);
    return { done: false, progress: startMonth(p.collection, p.month) };
  }
  const n = p.parts.length + 1;
  const last = cur.token === undefined;
  const kept = [...p.kept, file.groups()];
  if (last) {
    const c = await collection();
    out.push(file.finish(kept, c ? [c] : []));
  }
  const body = Buffer.concat(out);
  const parts = [...p.parts, await deps.uploads.part(key, p.uploadId!, n, body)];
  const next: MonthProgress = { ...cur, parts, offset: file.offset, kept, written };
  return { done: false, progress: last ? { ...next, phase: "complete", kept: [] } : next };
}
