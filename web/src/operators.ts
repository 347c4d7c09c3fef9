// The operators' view (group `operators`): the ingest failures from the API's operator routes as a table,
// then the statistics charts and the coverage picker (./operator-stats.ts, loaded only for operators).
import type { Api } from "./api.ts";
import { h } from "./dom.ts";

interface Failure {
  key: string;
  reason: string;
  time: string;
  code: string;
}

/**
 * The view for the signed-in user, or null when the API refuses them (not an operator, or signed out):
 * the API decides who is an operator, the page only asks. `showCoverage` puts one collection's coverage
 * on the page's map.
 */
export async function operatorsView(
  api: Api,
  showCoverage: (collection: string) => void = () => undefined,
): Promise<HTMLElement | null> {
  if (!api.user) return null;
  let body: { failures: Failure[]; count: number };
  try {
    body = await api.get<{ failures: Failure[]; count: number }>("/admin/failures");
  } catch {
    return null;
  }
  const rows = [...body.failures]
    .sort((a, b) => b.time.localeCompare(a.time))
    .map((f) =>
      h(
        "tr",
        {},
        h("td", {}, h("time", { datetime: f.time }, f.time.replace("T", " ").replace(/\.\d+Z$/, "Z"))),
        h("th", { scope: "row" }, h("code", {}, f.key)),
        h("td", {}, f.code),
        h("td", {}, f.reason),
      ),
    );
  const { statsView } = await import("./operator-stats.ts");
  const failures = h(
    "details",
    { id: "operators", class: "operators" },
    h("summary", {}, `Operators: ingest failures (${body.count})`),
    body.count === 0
      ? h("p", { class: "muted" }, "No ingest failures recorded.")
      : h(
          "table",
          { class: "failures" },
          h("caption", {}, "Objects the ingest could not catalogue, newest first"),
          h(
            "thead",
            {},
            h("tr", {}, ...["Time", "Object key", "Code", "Reason"].map((t) => h("th", { scope: "col" }, t))),
          ),
          h("tbody", {}, ...rows),
        ),
  );
  return h("div", {}, failures, await statsView(api, showCoverage));
}
