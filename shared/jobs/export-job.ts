// An export of a search: authorized once, when the job is created, on the parsed request (the collections
// it may read are stored with it); then run page after page into a multipart upload, one part a step,
// the checkpoint holding the next page's token and the parts written so far. A format that converts
// (formats.ts) has its NDJSON written so under a spool key, then converted into the result in bounded
// steps of their own (export-convert.ts), whose parts the checkpoint then holds.
import { type Access, UNRESTRICTED } from "../auth/authorize.ts";
import { BadRequestError, ForbiddenError } from "../errors.ts";
import type { PagingTokens } from "../search/paging-tokens.ts";
import { parseSearch } from "../search/request.ts";
import { searchItems } from "../search/search.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { Step } from "./chunks.ts";
import { type ConvertFields, convertStep } from "./export-convert.ts";
import { exportedCollection, exportedItem, type Presenters } from "./exported.ts";
import { exportFormat, NDJSON_FORMAT } from "./formats.ts";
import type { ExportSpec, Job, JobResult } from "./model.ts";
import type { PartUploads, UploadedPart } from "./multipart.ts";

export interface ExportSettings {
  /** Items read per search page. */
  pageSize: number;
  /** A part is uploaded once this many bytes are ready (S3: at least 5 MiB but for the last). */
  partBytes: number;
  /** Items a converting format (stac-geoparquet) holds at once: a row group. */
  rows: number;
}

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = {
  pageSize: 500,
  partBytes: 8 * 2 ** 20,
  rows: 10_000,
};

/**
 * The most parts an export keeps (S3 allows 10,000): their ETags travel in the job's record, which
 * DynamoDB holds to 400 KB. With 8 MiB parts, an export of up to 40 GiB.
 */
export const MAX_EXPORT_PARTS = 5000;

export interface ExportDeps {
  catalogue: Catalogue;
  tokens: PagingTokens;
  present: Presenters;
  uploads: PartUploads;
  settings: ExportSettings;
}

export interface ExportCheckpoint extends ConvertFields {
  key: string;
  uploadId: string;
  parts: UploadedPart[];
  /** The token of the next page to read; absent before the first. */
  token?: string;
  collectionsDone: boolean;
  collections: number;
  items: number;
  bytes: number;
  /** The format writer's state after its last flush (formats.ts). */
  writer: unknown;
}

/**
 * The export a caller asks for, checked and authorized: `format`, and the search without limit, token
 * and fields (an export holds every match, whole). Named collections must each be visible (401/403) and
 * exist (400); none named, the job is held to the collections the caller may search now, unless the
 * caller may search every collection there is or will be.
 */
export async function exportSpec(
  catalogue: Catalogue,
  access: Access,
  body: Record<string, unknown>,
  baseUrl: string,
): Promise<ExportSpec> {
  const { format = "ndjson", limit: _l, token: _t, fields: _f, ...search } = body;
  exportFormat(format);
  const parsed = parseSearch(search, { source: "body" });
  const all = (await catalogue.listCollections()).map((c) => c.collection.id);
  let collections: string[] | undefined;
  if (parsed.collections) {
    collections = access.scope(parsed.collections, all);
    const unknown = collections.filter((c) => !all.includes(c));
    if (unknown.length > 0)
      throw new BadRequestError(
        `collections: unknown collection(s) ${unknown.map((u) => `'${u}'`).join(", ")}`,
      );
  } else if (!access.searchesEverything()) {
    collections = access.scope(undefined, all);
    if (collections.length === 0 && all.length > 0)
      throw new ForbiddenError("there is no collection you may search to export");
  }
  return { search: collections ? { ...search, collections } : search, format: format as string, baseUrl };
}

export const exportKey = (job: Job, extension: string) => `exports/${job.id}.${extension}`;

export async function beginExport(deps: ExportDeps, job: Job): Promise<ExportCheckpoint> {
  const format = exportFormat((job.spec as ExportSpec).format);
  const written = format.convert ? NDJSON_FORMAT : format;
  const key = exportKey(job, format.convert ? `spool.${NDJSON_FORMAT.extension}` : format.extension);
  return {
    key,
    uploadId: await deps.uploads.begin(key, written.contentType),
    parts: [],
    collectionsDone: false,
    collections: 0,
    items: 0,
    bytes: 0,
    writer: null,
  };
}

const concat = (chunks: Uint8Array[]) => Buffer.concat(chunks);

/** Reads pages until a part's worth of bytes is ready (or the search ends) and uploads them as one part. */
export async function exportStep(
  deps: ExportDeps,
  job: Job,
  c: ExportCheckpoint,
): Promise<Step<ExportCheckpoint>> {
  const spec = job.spec as ExportSpec;
  const format = exportFormat(spec.format);
  if (c.spool || c.leftovers)
    return convertStep(
      {
        uploads: deps.uploads,
        rows: deps.settings.rows,
        partBytes: deps.settings.partBytes,
        maxParts: MAX_EXPORT_PARTS,
      },
      format,
      c,
    );
  const writer = format.open(c.writer);
  const next = { ...c };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const add = (b: Uint8Array) => {
    if (b.length === 0) return;
    chunks.push(b);
    size += b.length;
  };
  if (!next.collectionsDone) {
    if (writer.collection) {
      const wanted = spec.search["collections"] as string[] | undefined;
      for (const r of await deps.catalogue.listCollections()) {
        if (wanted && !wanted.includes(r.collection.id)) continue;
        add(writer.collection(exportedCollection(deps.present, r.collection, spec.baseUrl)));
        next.collections++;
      }
    }
    next.collectionsDone = true;
  }
  // The stored search was authorized when the job was created: its collections are the ones allowed.
  const search = parseSearch(spec.search, { source: "body" });
  let done = false;
  for (;;) {
    const page = await searchItems(
      deps.catalogue,
      { ...search, limit: deps.settings.pageSize, ...(next.token ? { token: next.token } : {}) },
      UNRESTRICTED,
      { tokens: deps.tokens, count: false },
    );
    add(writer.items(page.items.map((i) => exportedItem(deps.present, i, spec.baseUrl))));
    next.items += page.items.length;
    if (page.nextToken) next.token = page.nextToken;
    else delete next.token;
    if (!page.nextToken) {
      add(writer.flush());
      add(writer.end());
      done = true;
      break;
    }
    if (size >= deps.settings.partBytes) {
      add(writer.flush());
      break;
    }
  }
  if (size > 0) {
    if (next.parts.length >= MAX_EXPORT_PARTS)
      throw new Error(
        `the export passed ${MAX_EXPORT_PARTS} parts of ${deps.settings.partBytes} bytes, the most one job keeps: narrow the search or split it`,
      );
    const part = await deps.uploads.part(next.key, next.uploadId, next.parts.length + 1, concat(chunks));
    next.parts = [...next.parts, part];
    next.bytes += size;
  }
  next.writer = writer.state();
  if (done && format.convert) {
    // Every item is in the spool: conversion steps follow, from its start.
    await deps.uploads.complete(next.key, next.uploadId, next.parts, NDJSON_FORMAT.contentType);
    const key = exportKey(job, format.extension);
    const uploadId = await deps.uploads.begin(key, format.contentType);
    return {
      checkpoint: {
        ...next,
        spool: next.key,
        spoolBytes: next.bytes,
        spoolAt: 0,
        converter: format.convert.begin(next.writer),
        key,
        uploadId,
        parts: [],
        bytes: 0,
        writer: null,
      },
      done: false,
    };
  }
  return { checkpoint: next, done };
}

export async function finishExport(deps: ExportDeps, job: Job, c: ExportCheckpoint): Promise<JobResult> {
  const format = exportFormat((job.spec as ExportSpec).format);
  await deps.uploads.complete(c.key, c.uploadId, c.parts, format.contentType);
  return {
    bucket: deps.uploads.bucket,
    key: c.key,
    contentType: format.contentType,
    filename: `hexarchive-export-${job.id}.${format.extension}`,
    bytes: c.bytes,
  };
}

export const exportCounts = (c: ExportCheckpoint) => ({
  collections: c.collections,
  items: c.items,
  bytes: c.bytes,
  parts: c.parts.length,
});
