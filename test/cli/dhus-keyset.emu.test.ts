// `hexarchive import --from-dhus` pages a hub by key (IngestionDate, Name breaking ties), not by a
// growing `$skip`: read through the real DHuS facade over HTTP, products sharing one ingestion date
// across page boundaries are each read once, in order, also after a resume from a checkpoint's cursor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dhusSource } from "../../cli/commands/import-sources/dhus-odata.ts";
import type { ImportSource } from "../../cli/commands/import-sources/source.ts";
import { Api, type RequestOptions } from "../../cli/http.ts";
import { makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const C = "keyset-s2";
// Ingestion dates (`created`): one, then five products at the same instant, then two more.
const T1 = "2024-06-01T08:00:00.000Z";
const T2 = "2024-06-02T09:30:00.250Z";
const T3 = "2024-06-03T10:00:00.000Z";
const PRODUCTS: [string, string][] = [
  ["S2A_K_A", T1],
  ["S2A_K_F", T2],
  ["S2A_K_B", T2],
  ["S2A_K_E", T2],
  ["S2A_K_C", T2],
  ["S2A_K_D", T2],
  ["S2A_K_G", T3],
  ["S2A_K_H", T3],
  // Left out by the user's own $filter, which the keyset is added to.
  ["S1A_K_X", T2],
];
const IN_ORDER = ["S2A_K_A", "S2A_K_B", "S2A_K_C", "S2A_K_D", "S2A_K_E", "S2A_K_F", "S2A_K_G", "S2A_K_H"];

/** The CLI's own HTTP client, noting every URL it asks the hub for. */
class RecordingApi extends Api {
  readonly urls: string[] = [];
  override json<T>(path: string, o?: RequestOptions): Promise<T> {
    this.urls.push(decodeURIComponent(path));
    return super.json<T>(path, o);
  }
}

function source(): { api: RecordingApi; from: ImportSource } {
  const { user, password } = { user: "demo", password: "demo-password" };
  const api = new RecordingApi({
    url: app.api,
    user,
    password,
    s3: { region: "us-east-1" },
    retries: 0,
    backoffMs: 1,
  });
  const from = dhusSource(api, {
    url: `${app.api}/dhus`,
    filter: "startswith(Name,'S2A')",
    pageSize: 2,
    collection: "imported",
    signedIn: true,
  });
  return { api, from };
}

/** Every page from `cursor` on: the names read, and the cursors handed out (as a checkpoint keeps them). */
async function readAll(from: ImportSource, cursor?: unknown, pages = Number.POSITIVE_INFINITY) {
  const names: string[] = [];
  const cursors: unknown[] = [];
  let at = cursor;
  for (let n = 0; n < pages; n++) {
    const page = await from.page(at);
    for (const e of page.entries) if ("item" in e) names.push(e.item.id);
    if (page.next === undefined) break;
    at = JSON.parse(JSON.stringify(page.next));
    cursors.push(at);
  }
  return { names, cursors, at };
}

beforeAll(async () => {
  app = await startTestApp();
  const items = PRODUCTS.map(([id, created], i) =>
    makeItem({
      id,
      collection: C,
      datetime: `2024-05-0${(i % 9) + 1}T10:00:00Z`,
      lon: 14,
      lat: 50,
      properties: { created },
    }),
  );
  await seed(app, [makeCollection(C, "S2", "test", [])], items);
});
afterAll(() => app?.close());

describe("import --from-dhus paging", () => {
  it("reads every product once, in ingestion then name order, five sharing a date across three pages", async () => {
    const { api, from } = source();
    const { names } = await readAll(from);
    expect(names).toEqual(IN_ORDER);
    // After the first page, each request starts at the last date read and skips only that date's products.
    expect(api.urls[0]).toContain("$skip=0");
    expect(api.urls[0]).toContain("$orderby=IngestionDate asc,Name asc");
    expect(api.urls[0]).toContain("$filter=(startswith(Name,'S2A'))");
    const keyed = api.urls.slice(1).map((u) => ({
      from: /IngestionDate ge datetime'([^']+)'/.exec(u)?.[1],
      skip: Number(/\$skip=(\d+)/.exec(u)?.[1]),
    }));
    const at = (iso: string) => iso.replace(/Z$/, "");
    expect(keyed).toEqual([
      { from: at(T2), skip: 1 },
      { from: at(T2), skip: 3 },
      { from: at(T2), skip: 5 },
      { from: at(T3), skip: 2 },
    ]);
  });

  it("resumes from a checkpoint's cursor inside a run of equal dates, exactly", async () => {
    const first = await readAll(source().from, undefined, 2);
    expect(first.names).toEqual(IN_ORDER.slice(0, 4));
    expect(first.at).toEqual({ after: T2.replace(/Z$/, ""), skip: 3 });
    const rest = await readAll(source().from, first.at);
    expect([...first.names, ...rest.names]).toEqual(IN_ORDER);
  });

  it("goes on from an offset cursor of an import that paged by $skip alone", async () => {
    const rest = await readAll(source().from, 6);
    expect(rest.names).toEqual(IN_ORDER.slice(6));
  });
});
