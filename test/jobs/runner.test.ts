// The job runner's protocol, with an in-memory store and a counting job kind: an invocation out of time
// saves its checkpoint and starts the next one (on AWS: an asynchronous Invoke of the function itself,
// by name from its Lambda context); a stale or duplicate invocation does nothing; a failure marks the
// job failed with its reason and discards the partial result.
import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { makeJobsHandler } from "../../lambdas/jobs/app.ts";
import { LambdaEventInvoker } from "../../shared/aws/lambda-event.ts";
import { type Job, type JobEvent, jobEvent } from "../../shared/jobs/model.ts";
import { type JobKindRunner, type JobRunnerDeps, runJob } from "../../shared/jobs/runner.ts";
import { LambdaJobStarter } from "../../shared/jobs/starters.ts";
import type { JobStore } from "../../shared/jobs/store.ts";
import { silentLogger } from "../../shared/log.ts";

class MemoryJobs implements JobStore {
  readonly jobs = new Map<string, string>();
  async create(job: Job) {
    this.jobs.set(job.id, JSON.stringify(job));
  }
  async get(id: string) {
    const j = this.jobs.get(id);
    return j ? (JSON.parse(j) as Job) : undefined;
  }
  async update(job: Job, run: number) {
    const stored = await this.get(job.id);
    if (stored?.run !== run) return false;
    this.jobs.set(job.id, JSON.stringify(job));
    return true;
  }
}

/** Counts to `to`, one a step; `failAt` throws there. */
function counter(to: number, failAt?: number) {
  const abandoned: unknown[] = [];
  const kind: JobKindRunner<{ n: number }> = {
    begin: async () => ({ n: 0 }),
    step: async (_job, c) => {
      if (c.n + 1 === failAt) throw new Error(`step ${failAt} broke`);
      return { checkpoint: { n: c.n + 1 }, done: c.n + 1 >= to };
    },
    finish: async () => undefined,
    abandon: async (_job, c) => {
      abandoned.push(c);
    },
    counts: (c) => ({ n: c.n }),
  };
  return { kind, abandoned };
}

function setup(kind: JobKindRunner<{ n: number }>) {
  const store = new MemoryJobs();
  const started: JobEvent[] = [];
  const deps: JobRunnerDeps = {
    store,
    starter: { start: async (e) => void started.push(e) },
    kinds: { import: kind as JobKindRunner<unknown> },
    log: silentLogger,
    now: () => new Date("2026-12-07T00:00:00Z"),
    reserveMs: 1000,
  };
  const job: Job = {
    id: "j1",
    kind: "import",
    owner: "olga",
    created: "",
    updated: "",
    status: "queued",
    run: 0,
    spec: { bucket: "b", key: "imports/x", baseUrl: "" },
    counts: {},
  };
  return { store, started, deps, job };
}

const outOfTime = { remainingMs: () => 0 };
const plenty = { remainingMs: () => Number.POSITIVE_INFINITY };

describe("job runner", () => {
  it("continues a job out of time in a new invocation, one step each, and finishes it", async () => {
    const { kind } = counter(3);
    const { store, started, deps, job } = setup(kind);
    await store.create(job);
    await runJob(deps, { id: "j1", run: 0 }, outOfTime);
    expect(started).toEqual([jobEvent("j1", 1)]);
    expect(await store.get("j1")).toMatchObject({ status: "running", run: 1, counts: { n: 1 } });
    // A duplicate of the first invocation (Lambda's retry) finds another number and does nothing.
    await runJob(deps, { id: "j1", run: 0 }, outOfTime);
    expect(started).toHaveLength(1);
    await runJob(deps, { id: "j1", run: 1 }, outOfTime);
    await runJob(deps, { id: "j1", run: 2 }, outOfTime);
    expect(started).toEqual([jobEvent("j1", 1), jobEvent("j1", 2)]);
    expect(await store.get("j1")).toMatchObject({ status: "succeeded", run: 2, counts: { n: 3 } });
  });

  it("runs a job to its end in one invocation with time to spare", async () => {
    const { kind } = counter(5);
    const { store, started, deps, job } = setup(kind);
    await store.create(job);
    await runJob(deps, { id: "j1", run: 0 }, plenty);
    expect(started).toEqual([]);
    expect(await store.get("j1")).toMatchObject({ status: "succeeded", run: 0, counts: { n: 5 } });
  });

  it("marks a job failed with the reason and discards what it left", async () => {
    const { kind, abandoned } = counter(5, 3);
    const { store, deps, job } = setup(kind);
    await store.create(job);
    await runJob(deps, { id: "j1", run: 0 }, plenty);
    expect(await store.get("j1")).toMatchObject({
      status: "failed",
      error: "step 3 broke",
      counts: { n: 2 },
    });
    expect(abandoned).toEqual([{ n: 2 }]);
  });

  it("on Lambda, continues by an asynchronous invocation of the function itself, named by its context", async () => {
    const { kind } = counter(2);
    const { store, deps, job } = setup(kind);
    await store.create(job);
    const sent: { url: string; headers: Headers; body: string }[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      sent.push({ url: String(url), headers: new Headers(init.headers), body: String(init.body) });
      return new Response("", { status: 202 });
    }) as unknown as typeof fetch;
    const handler = makeJobsHandler(
      (starter) => ({ ...deps, starter }),
      (functionName) =>
        new LambdaJobStarter(
          new LambdaEventInvoker({
            functionName,
            region: "eu-central-1",
            credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
            fetch: fakeFetch,
          }),
        ),
    );
    const context = {
      functionName: "Hexarchive-dev-JobsHandler",
      getRemainingTimeInMillis: () => 500,
    } as Context;
    await handler(jobEvent("j1", 0), context);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(
      "https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/Hexarchive-dev-JobsHandler/invocations",
    );
    expect(sent[0]!.headers.get("x-amz-invocation-type")).toBe("Event");
    expect(sent[0]!.headers.get("authorization")).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(JSON.parse(sent[0]!.body)).toEqual(jobEvent("j1", 1));
    await handler(jobEvent("j1", 1), context);
    expect(await store.get("j1")).toMatchObject({ status: "succeeded", counts: { n: 2 } });
  });
});
