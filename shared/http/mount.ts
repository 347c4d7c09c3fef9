// Handlers side by side under path prefixes: the API's composition root mounts the DHuS hub at /dhus
// beside the STAC API, so neither wraps the other.
import type { RequestHandler } from "./types.ts";

/** Requests under `prefix/` go to that prefix's handler; every other request goes to `rest`. */
export function mountPrefixes(mounts: Record<string, RequestHandler>, rest: RequestHandler): RequestHandler {
  const table = Object.entries(mounts).map(([prefix, handler]) => ({ under: `${prefix}/`, handler }));
  return {
    handle(req) {
      for (const m of table) if (req.path.startsWith(m.under)) return m.handler.handle(req);
      return rest.handle(req);
    },
  };
}
