// A small path router: `{name}` matches one segment, `{name+}` the rest of the path.
import { BadRequestError, CatalogueError, NotFoundError } from "../errors.ts";
import { MAX_JSON_BYTES, parseJsonObject } from "./json-input.ts";
import type { HttpRequest, HttpResponse } from "./types.ts";

export type Handler = (req: HttpRequest, params: Record<string, string>) => Promise<HttpResponse>;

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /**
   * Registers a route; it also matches with a trailing slash unless `exact` (routes that API Gateway
   * sends to another function by their exact key, so that no look-alike reaches this one).
   */
  on(method: string, path: string, handler: Handler, o: { exact?: boolean } = {}): this {
    const names: string[] = [];
    const source = path
      .split("/")
      .map((seg) => {
        const m = /^\{(\w+)(\+?)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(m[1]!);
        return m[2] ? "(.+)" : "([^/]+)";
      })
      .join("/");
    this.routes.push({
      method,
      path,
      pattern: new RegExp(`^${source}${o.exact ? "" : "/?"}$`),
      names,
      handler,
    });
    return this;
  }

  /** Every route, as registered (for checks that compare them with what is deployed). */
  list(): { method: string; path: string }[] {
    return this.routes.map(({ method, path }) => ({ method, path }));
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const allowed: string[] = [];
    for (const r of this.routes) {
      const m = r.pattern.exec(req.path);
      if (!m) continue;
      if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) {
        allowed.push(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new BadRequestError(`path segment '${m[i + 1]}' is not valid percent-encoding`);
        }
      });
      return r.handler(req, params);
    }
    if (allowed.length > 0) {
      if (req.method === "OPTIONS")
        return { status: 204, headers: { allow: [...allowed, "OPTIONS"].join(", ") } };
      throw new CatalogueError(
        405,
        "MethodNotAllowed",
        `${req.method} is not allowed on ${req.path}; use ${allowed.join(" or ")}`,
      );
    }
    throw new NotFoundError(`no such resource: ${req.path}`);
  }
}

/** The request's JSON object body ({} when none is sent), within the size and depth bounds of json-input. */
export function parseJsonBody(req: HttpRequest, maxBytes = MAX_JSON_BYTES): Record<string, unknown> {
  if (!req.body || req.body.trim() === "") return {};
  return parseJsonObject(req.body, "request body", { maxBytes });
}
