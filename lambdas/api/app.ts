// Adapts API Gateway HTTP API (payload 2.0) events to the router, behind middy.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createApi } from "../../shared/api/app.ts";
import type { ApiDeps } from "../../shared/api/deps.ts";
import {
  type ExtractEvent,
  type ExtractJob,
  isExtractEvent,
  parseExtractEvent,
} from "../../shared/download/extraction.ts";
import { corsHeaders } from "../../shared/http/cors.ts";
import { errorResponse } from "../../shared/http/errors-to-http.ts";
import type { HttpRequest, HttpResponse } from "../../shared/http/types.ts";
import type { Logger } from "../../shared/log.ts";
import { withAsyncJobs } from "../async-jobs.ts";

/** The shared policy (shared/http/cors.ts); on AWS, API Gateway answers with the same one. */
const CORS = corsHeaders();

/** The base URL clients see: a configured public URL, else host + stage from the request. */
export function baseUrlOf(event: APIGatewayProxyEventV2, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  const h = lowerHeaders(event.headers);
  const proto = h["x-forwarded-proto"] ?? "https";
  const host = h["x-forwarded-host"] ?? h["host"] ?? event.requestContext.domainName;
  const stage = event.requestContext.stage;
  // A custom domain maps the API at its root; the execute-api host puts a named stage in the path.
  const onExecuteApi = /\.execute-api\./.test(host ?? "");
  const prefix = stage && stage !== "$default" && onExecuteApi ? `/${stage}` : "";
  return `${proto}://${host}${prefix}`;
}

function lowerHeaders(h: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

export function toHttpRequest(event: APIGatewayProxyEventV2, publicUrl?: string): HttpRequest {
  const stage = event.requestContext.stage;
  let path = event.rawPath || "/";
  if (stage && stage !== "$default" && path.startsWith(`/${stage}/`)) path = path.slice(stage.length + 1);
  else if (stage && stage !== "$default" && path === `/${stage}`) path = "/";
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(event.rawQueryString ?? "")) query[k] = v;
  const req: HttpRequest = {
    method: event.requestContext.http.method.toUpperCase(),
    path,
    query,
    headers: lowerHeaders(event.headers),
    baseUrl: baseUrlOf(event, publicUrl),
  };
  if (event.body !== undefined && event.body !== null)
    req.body = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  return req;
}

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
export const COMPRESS_MIN_BYTES = 1024;

/** The best encoding the client accepts (br, then gzip), honouring q=0 refusals. */
export function chooseEncoding(acceptEncoding: string | undefined): "br" | "gzip" | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find((m) => m)?.[1];
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (e: string) => (accepted.get(e) ?? accepted.get("*") ?? 0) > 0;
  return ok("br") ? "br" : ok("gzip") ? "gzip" : undefined;
}

/**
 * Compresses a text body when the client allows it; API Gateway HTTP APIs do not, and it also keeps
 * large pages far below Lambda's 6 MB response limit.
 */
export function compress(res: HttpResponse, acceptEncoding: string | undefined): HttpResponse {
  if (res.body === undefined || res.binary || Buffer.byteLength(res.body) < COMPRESS_MIN_BYTES) return res;
  const encoding = chooseEncoding(acceptEncoding);
  if (!encoding) return { ...res, headers: { ...res.headers, vary: "accept-encoding" } };
  const bytes = Buffer.from(res.body, "utf8");
  const binary =
    encoding === "br"
      ? brotliCompressSync(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        })
      : gzipSync(bytes, { level: 6 });
  const { body: _plain, ...rest } = res;
  return {
    ...rest,
    headers: { ...res.headers, "content-encoding": encoding, vary: "accept-encoding" },
    binary,
  };
}

export function toResult(res: HttpResponse, method: string): APIGatewayProxyStructuredResultV2 {
  const headers = { ...CORS, ...res.headers };
  if (res.binary) {
    return {
      statusCode: res.status,
      headers,
      body: method === "HEAD" ? "" : Buffer.from(res.binary).toString("base64"),
      isBase64Encoded: true,
    };
  }
  return { statusCode: res.status, headers, body: method === "HEAD" ? "" : (res.body ?? "") };
}

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** The one place where a thrown error becomes an HTTP answer. */
function httpErrors(log: Logger): middy.MiddlewareObj<Event, Result> {
  return {
    onError: async (request) => {
      const method = request.event.requestContext.http.method.toUpperCase();
      const res = errorResponse(request.error, log, { method, path: request.event.rawPath });
      request.response = toResult(res, method);
    },
  };
}

export function makeApiHandler(deps: ApiDeps) {
  const router = createApi(deps);
  return middy<Event, Result>()
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      const method = event.requestContext.http.method.toUpperCase();
      if (method === "OPTIONS") return toResult({ status: 204 }, method);
      const req = toHttpRequest(event, deps.settings.publicUrl);
      return toResult(compress(await router.handle(req), req.headers["accept-encoding"]), method);
    });
}

/**
 * The function also runs background member extractions, invoked asynchronously with an `ExtractEvent`
 * (shared/download/extraction.ts); anything else is an API Gateway request.
 */
export function withExtractJobs(
  api: ReturnType<typeof makeApiHandler>,
  extract: (job: ExtractJob) => Promise<unknown>,
) {
  return withAsyncJobs<Event | ExtractEvent, Result, ExtractJob>(
    (event, context) => api(event as Event, context),
    { isEvent: isExtractEvent, parse: parseExtractEvent },
    extract,
  );
}
