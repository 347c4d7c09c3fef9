// The jobs' use cases behind the API: submit a job (stored, then started), read one (only its owner:
// to anyone else it does not exist), and show it, with a freshly presigned link to a finished export.
import { randomUUID } from "node:crypto";
import { BadRequestError, NotFoundError } from "../errors.ts";
import type { Presigner } from "../storage/presigner.ts";
import type { ImportSource } from "./import-source.ts";
import { type ExportSpec, type ImportSpec, type Job, type JobKind, jobEvent } from "./model.ts";
import type { JobStarter } from "./starters.ts";
import type { JobStore } from "./store.ts";

export interface JobServices {
  store: JobStore;
  starter: JobStarter;
  /** Where an import may read (import-source.ts); none: imports are refused. */
  importSources: ImportSource[];
}

/** A job's record holds its request; DynamoDB keeps 400 KB a record, and progress needs room too. */
export const MAX_SPEC_BYTES = 100_000;

export async function submitJob(
  svc: JobServices,
  kind: JobKind,
  owner: string,
  spec: ExportSpec | ImportSpec,
  now: Date,
): Promise<Job> {
  if (Buffer.byteLength(JSON.stringify(spec)) > MAX_SPEC_BYTES)
    throw new BadRequestError(
      `the request is larger than a job keeps (${MAX_SPEC_BYTES} bytes): simplify its geometry or filter`,
    );
  const at = now.toISOString();
  const job: Job = {
    id: randomUUID(),
    kind,
    owner,
    created: at,
    updated: at,
    status: "queued",
    run: 0,
    spec,
    counts: {},
  };
  await svc.store.create(job);
  try {
    await svc.starter.start(jobEvent(job.id, 0));
  } catch (e) {
    job.status = "failed";
    job.error = `could not start: ${(e as Error).message}`;
    await svc.store.update(job, 0);
    throw e;
  }
  return job;
}

export async function requireOwnJob(svc: JobServices, owner: string, id: string): Promise<Job> {
  const job = await svc.store.get(id);
  // Another user's job is as absent as a missing one: ids are not disclosed.
  if (!job || job.owner !== owner) throw new NotFoundError(`you have no job '${id}'`);
  return job;
}

export const jobUrl = (baseUrl: string, id: string) => `${baseUrl}/jobs/${encodeURIComponent(id)}`;

/** The job as its owner sees it; a finished export's link is signed anew on every read. */
export async function presentJob(job: Job, baseUrl: string, presigner: Presigner, presignSeconds: number) {
  const result = job.status === "succeeded" && job.result ? job.result : undefined;
  const href = result
    ? await presigner.presignGet(result.bucket, result.key, {
        expiresIn: presignSeconds,
        filename: result.filename,
        contentType: result.contentType,
      })
    : undefined;
  const spec = job.spec as Partial<ExportSpec & ImportSpec>;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    created: job.created,
    updated: job.updated,
    ...(job.kind === "export"
      ? { format: spec.format, search: spec.search }
      : { source: `s3://${spec.bucket}/${spec.key}` }),
    counts: job.counts,
    ...(job.badLines?.length ? { badLines: job.badLines } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(result && href
      ? {
          result: {
            href,
            type: result.contentType,
            bytes: result.bytes,
            expires: new Date(Date.now() + presignSeconds * 1000).toISOString(),
          },
        }
      : {}),
    links: [
      { rel: "self", href: jobUrl(baseUrl, job.id), type: "application/json" },
      ...(result && href ? [{ rel: "enclosure", href, type: result.contentType }] : []),
    ],
  };
}
