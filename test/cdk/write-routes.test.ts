// The write routes are written once (shared/api/write-routes.ts): the router's routes that write are
// exactly the table's, and the synthesized HTTP API sends each of them, and nothing else, to the
// transactions function (the only one that may write the catalogue).
import { describe, expect, it } from "vitest";
import { stacRouter } from "../../shared/api/app.ts";
import type { ApiDeps } from "../../shared/api/deps.ts";
import { routeKey, WRITE_ROUTES } from "../../shared/api/write-routes.ts";
import { BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { stack } = built;
const table = Object.values(WRITE_ROUTES).map(routeKey).sort();

/** POSTs that only read: a search in a body, a search turned into a download list, a gap report. */
const READ_ONLY_POSTS = ["POST /aggregate", "POST /search", "POST /search/download-list", "POST /admin/gaps"];
/**
 * Subscriptions change no item: they write only the caller's own subscription partitions, which the
 * API function may write (API_WRITABLE_PREFIXES), so they stay with it.
 */
const SUBSCRIPTION_WRITES = [
  "POST /subscriptions",
  "DELETE /subscriptions/{id}",
  "POST /subscriptions/{id}/ack",
];

/**
 * Background jobs change no item in the request: the API writes only the job's record (J#, which it may
 * write) and starts the jobs function, which writes an import's items under its own grants; an import
 * upload only presigns a PUT under the jobs bucket's imports/.
 */
const JOB_SUBMISSIONS = ["POST /search/export", "POST /admin/import", "POST /admin/import/uploads"];

/** Which function each route key of the HTTP API invokes (by logical id). */
function routedFunctions(): Map<string, string> {
  const integrations = built.resourcesOfType("AWS::ApiGatewayV2::Integration");
  const fnOf = (integrationId: string) => {
    const uri = integrations[integrationId]?.Properties["IntegrationUri"] as { "Fn::GetAtt"?: string[] };
    return uri?.["Fn::GetAtt"]?.[0] ?? "";
  };
  const out = new Map<string, string>();
  for (const r of Object.values(built.resourcesOfType("AWS::ApiGatewayV2::Route"))) {
    const integration = /"Ref":"([^"]+)"/.exec(JSON.stringify(r.Properties["Target"]))?.[1];
    out.set(String(r.Properties["RouteKey"]), integration ? fnOf(integration) : "");
  }
  return out;
}

describe("write routes", () => {
  it("are the router's only routes that write", () => {
    const router = stacRouter({} as ApiDeps);
    const bodies = router
      .list()
      .filter((r) => r.method !== "GET")
      .map(routeKey)
      .filter(
        (k) =>
          !READ_ONLY_POSTS.includes(k) && !SUBSCRIPTION_WRITES.includes(k) && !JOB_SUBMISSIONS.includes(k),
      );
    expect(bodies.sort()).toEqual(table);
  });

  it("go to the transactions function, and every other request to the read-only API function", () => {
    const routes = routedFunctions();
    const writer = built.logicalId(stack.api.writer.function);
    for (const key of table) expect(routes.get(key), key).toBe(writer);
    expect(routes.get("$default")).toBe(built.logicalId(stack.api.handler.function));
    expect([...routes.keys()].filter((k) => k !== "$default").sort()).toEqual(table);
  });

  it("match only their exact key: a trailing-slash look-alike, which API Gateway sends to the read-only function, is refused there", async () => {
    const router = stacRouter({} as ApiDeps);
    for (const { method, path } of Object.values(WRITE_ROUTES)) {
      const concrete = path.replace(/\{\w+\}/g, "x");
      const req = { method, path: `${concrete}/`, headers: {}, query: {}, body: "" } as never;
      // 405 where the path has read routes, 404 where it has none (POST …/items/{id}/delete/).
      const refused = await router.handle(req).then(
        () => undefined,
        (e: { status?: number }) => e.status,
      );
      expect([404, 405], `${method} ${concrete}/`).toContain(refused);
    }
  });
});
