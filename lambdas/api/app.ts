// Adapts API Gateway HTTP API (payload 2.0) events to the router, behind middy.
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createApi } from "../../shared/api/app.ts";
import type { ApiDeps } from "../../shared/api/deps.ts";
import { errorResponse } from "../../shared/http/errors-to-http.ts";
import type { HttpRequest, HttpResponse } from "../../shared/http/types.ts";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, content-type, range",
  "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-expose-headers": "content-disposition, content-length, content-range, etag, location",
};

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

export function makeApiHandler(deps: ApiDeps) {
  const router = createApi(deps);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(async (event) => {
    const method = event.requestContext.http.method.toUpperCase();
    let res: HttpResponse;
    try {
      if (method === "OPTIONS") res = { status: 204 };
      else res = await router.handle(toHttpRequest(event, deps.settings.publicUrl));
    } catch (err) {
      res = errorResponse(err, deps.log, { method, path: event.rawPath });
    }
    return toResult(res, method);
  });
}
