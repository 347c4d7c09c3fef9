// The operators' statistics for one year as charts (downloads per month and collection, top products
// with distinct users, search parameters used) and the coverage map of one collection. Loaded on demand,
// only once the API has accepted the user as an operator.
import type { Api, Collection } from "./api.ts";
import { bars, stackedColumns } from "./charts.ts";
import { h } from "./dom.ts";

interface DownloadStats {
  downloads: number;
  bytes: number;
  byCollectionAndMonth: { collection: string; month: string; downloads: number; bytes: number }[];
}
interface TopProducts {
  products: { collection: string; item: string; downloads: number; users: number; bytes: number }[];
}
interface SearchParams {
  parameters: Record<string, number>;
}

const MONTHS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];

async function charts(api: Api, year: number): Promise<HTMLElement[]> {
  const period = `from=${year}-01-01&to=${year}-12-31`;
  const [downloads, top, params] = await Promise.all([
    api.get<DownloadStats>(`/admin/stats/downloads?${period}`),
    api.get<TopProducts>(`/admin/stats/top-products?${period}&limit=10`),
    api.get<SearchParams>(`/admin/stats/search-params?${period}`),
  ]);
  const rows = downloads.byCollectionAndMonth;
  const collections = [...new Set(rows.map((r) => r.collection))].sort();
  const columns = MONTHS.map((m) => ({
    label: m,
    values: Object.fromEntries(
      rows.filter((r) => r.month === `${year}-${m}`).map((r) => [r.collection, r.downloads]),
    ),
  }));
  const used = Object.entries(params.parameters).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return [
    stackedColumns(
      "chart-downloads",
      `Downloads per month and collection, ${year}`,
      columns,
      collections,
      {
        head: ["Month", "Collection", "Downloads", "Bytes"],
        rows: rows.map((r) => [r.month, r.collection, r.downloads, r.bytes]),
      },
      "downloads",
    ),
    bars(
      "chart-top-products",
      `Most downloaded products, ${year}`,
      top.products.map((p) => ({ label: p.item, value: p.downloads })),
      {
        head: ["Product", "Collection", "Downloads", "Distinct users", "Bytes"],
        rows: top.products.map((p) => [p.item, p.collection, p.downloads, p.users, p.bytes]),
      },
      "downloads",
    ),
    bars(
      "chart-search-params",
      `Search parameters used, ${year}`,
      used.map(([label, value]) => ({ label, value })),
      { head: ["Parameter", "Searches"], rows: used },
      "searches",
    ),
  ];
}

/** The coverage map of one collection: the page's own coverage view, filtered to it. */
async function coveragePicker(api: Api, show: (collection: string) => void): Promise<HTMLElement> {
  const list = await api.get<{ collections: Collection[] }>("/collections?limit=1000").catch(() => ({
    collections: [] as Collection[],
  }));
  const select = h(
    "select",
    { id: "ops-coverage-collection" },
    ...list.collections.map((c) => h("option", { value: c.id }, c.title ? `${c.title} (${c.id})` : c.id)),
  );
  const button = h("button", { type: "button", id: "ops-coverage-show" }, "Show its coverage on the map");
  button.addEventListener("click", () => select.value && show(select.value));
  return h(
    "div",
    { class: "field" },
    h("label", { for: "ops-coverage-collection" }, "Coverage map of the collection"),
    select,
    h("div", { class: "buttons" }, button),
  );
}

export async function statsView(api: Api, showCoverage: (collection: string) => void): Promise<HTMLElement> {
  const thisYear = new Date().getUTCFullYear();
  const yearSelect = h(
    "select",
    { id: "ops-year" },
    ...[0, 1, 2, 3, 4].map((d) => h("option", { value: thisYear - d }, String(thisYear - d))),
  );
  const holder = h("div", { class: "charts", "aria-live": "polite" });
  const load = async () => {
    holder.setAttribute("aria-busy", "true");
    try {
      holder.replaceChildren(...(await charts(api, Number(yearSelect.value))));
    } catch (err) {
      holder.replaceChildren(h("p", { role: "alert" }, `Statistics failed: ${(err as Error).message}`));
    }
    holder.removeAttribute("aria-busy");
  };
  yearSelect.addEventListener("change", () => void load());
  await load();
  return h(
    "details",
    { id: "operator-stats", class: "operators" },
    h("summary", {}, "Operators: statistics and coverage"),
    h("div", { class: "field" }, h("label", { for: "ops-year" }, "Year"), yearSelect),
    holder,
    await coveragePicker(api, showCoverage),
  );
}
