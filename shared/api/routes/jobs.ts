// Background jobs (shared/jobs/): `POST /search/export` (a search written to a file, for a signed-in
// user), `POST /admin/import` (an NDJSON object written into the catalogue, for operators), both answered
// 202 with the job's URL, `POST /admin/import/uploads` (a presigned PUT for an operator's import file),
// and `GET /jobs/{id}`, which only the job's creator can see.
import { accessOf } from "../../auth/authorize.ts";
import { principalOf } from "../../auth/principal.ts";
import { NotFoundError, UnauthorizedError } from "../../errors.ts";
import type { Router } from "../../http/router.ts";
import { parseJsonBody } from "../../http/router.ts";
import { type HttpRequest, json } from "../../http/types.ts";
import { exportSpec } from "../../jobs/export-job.ts";
import { confineImport, importUploadKey } from "../../jobs/import-source.ts";
import type { Job } from "../../jobs/model.ts";
import { type JobServices, jobUrl, presentJob, requireOwnJob, submitJob } from "../../jobs/service.ts";
import type { ApiDeps } from "../deps.ts";
import { requireOperator } from "./operators.ts";

function services(deps: ApiDeps): JobServices {
  if (!deps.jobs) throw new NotFoundError("this deployment runs no background jobs");
  return deps.jobs;
}

function signedIn(req: HttpRequest, what: string): string {
  const p = principalOf(req);
  if (!p) throw new UnauthorizedError(`sign in to ${what}: a job belongs to the user who started it`);
  return p.user;
}

async function accepted(deps: ApiDeps, req: HttpRequest, job: Job) {
  const view = await presentJob(job, req.baseUrl, deps.presigner, deps.settings.presignSeconds);
  return json(202, view, { location: jobUrl(req.baseUrl, job.id) });
}

export function addJobRoutes(router: Router, deps: ApiDeps): void {
  router
    .on("POST", "/search/export", async (req) => {
      const svc = services(deps);
      const owner = signedIn(req, "export a search");
      const spec = await exportSpec(
        deps.catalogue,
        accessOf(deps.auth?.policy, req),
        parseJsonBody(req),
        req.baseUrl,
      );
      return accepted(deps, req, await submitJob(svc, "export", owner, spec, new Date()));
    })
    .on("POST", "/admin/import", async (req) => {
      const svc = services(deps);
      const owner = requireOperator(req, "import into the catalogue").user;
      const source = confineImport(svc.importSources, parseJsonBody(req));
      const job = await submitJob(svc, "import", owner, { ...source, baseUrl: req.baseUrl }, new Date());
      return accepted(deps, req, job);
    })
    .on("POST", "/admin/import/uploads", async (req) => {
      const svc = services(deps);
      const user = requireOperator(req, "upload an import file").user;
      const target = importUploadKey(svc.importSources, user, new Date());
      const expiresIn = deps.settings.presignSeconds;
      const href = await deps.presigner.presignPut(target.bucket, target.key, { expiresIn });
      return json(201, {
        bucket: target.bucket,
        key: target.key,
        method: "PUT",
        href,
        expires: new Date(Date.now() + expiresIn * 1000).toISOString(),
      });
    })
    .on("GET", "/jobs/{id}", async (req, p) => {
      const svc = services(deps);
      const job = await requireOwnJob(svc, signedIn(req, "read a job"), p["id"]!);
      const view = await presentJob(job, req.baseUrl, deps.presigner, deps.settings.presignSeconds);
      return json(200, view, { "cache-control": "no-store" });
    });
}
