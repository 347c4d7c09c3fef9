// Small hand-made SVG charts (stacked columns, horizontal bars), each a figure with a title, the picture
// described for screen readers, and its numbers as a table: no chart library in the page.
import { h } from "./dom.ts";

const SVG = "http://www.w3.org/2000/svg";

/**
 * Colours that stay apart for the common colour-vision deficiencies (Okabe and Ito's), the darker ones
 * first so that the first series keep 3:1 against the white page; the yellow is left out.
 */
export const PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#e69f00", "#56b4e9"];

function s(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** A round axis maximum at or above `max`: 1, 2 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * p >= max) ?? 10) * p;
}

export interface Table {
  head: string[];
  rows: (string | number)[][];
}

function dataTable(caption: string, t: Table): HTMLElement {
  return h(
    "details",
    { class: "data" },
    h("summary", {}, "Data table"),
    h(
      "table",
      {},
      h("caption", { class: "muted" }, caption),
      h("thead", {}, h("tr", {}, ...t.head.map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        ...t.rows.map((r) =>
          h(
            "tr",
            {},
            ...r.map((v, i) =>
              i === 0
                ? h("th", { scope: "row" }, String(v))
                : h("td", typeof v === "number" ? { class: "num" } : {}, String(v)),
            ),
          ),
        ),
      ),
    ),
  );
}

function figure(
  id: string,
  title: string,
  picture: Element | null,
  summary: string,
  table: Table,
): HTMLElement {
  if (picture) {
    picture.setAttribute("role", "img");
    picture.setAttribute("aria-label", `${title}: ${summary}`);
    picture.prepend(s("title", {}, title));
  }
  return h(
    "figure",
    { id, class: "chart", "aria-labelledby": `${id}-title` },
    h("h4", { id: `${id}-title` }, title),
    picture ?? h("p", { class: "muted" }, summary),
    dataTable(title, table),
  );
}

export interface Stack {
  /** The column's label, e.g. a month. */
  label: string;
  /** Value per series (series absent: 0). */
  values: Record<string, number>;
}

/** Columns of stacked values (e.g. downloads per month, stacked by collection), with a legend. */
export function stackedColumns(
  id: string,
  title: string,
  columns: Stack[],
  series: string[],
  table: Table,
  unit: string,
): HTMLElement {
  const totals = columns.map((c) => series.reduce((n, k) => n + (c.values[k] ?? 0), 0));
  const total = totals.reduce((a, b) => a + b, 0);
  const summary = `${total} ${unit} in all`;
  if (total === 0) return figure(id, title, null, `No ${unit} in this period.`, table);
  const [W, H, left, bottom, top] = [360, 180, 34, 22, 8];
  const max = niceMax(Math.max(...totals));
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  const step = (W - left - 4) / columns.length;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "columns" });
  for (const tick of Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max]) {
    svg.append(
      s("line", { x1: left, x2: W - 2, y1: y(tick), y2: y(tick), class: "axis", "stroke-width": 0.5 }),
      s("text", { x: left - 4, y: y(tick) + 4, "text-anchor": "end" }, String(tick)),
    );
  }
  columns.forEach((c, i) => {
    let base = 0;
    const x = left + i * step + step * 0.15;
    for (const [k, name] of series.entries()) {
      const v = c.values[name] ?? 0;
      if (v === 0) continue;
      svg.append(
        s(
          "rect",
          {
            x,
            width: step * 0.7,
            y: y(base + v),
            height: y(base) - y(base + v),
            fill: PALETTE[k % PALETTE.length]!,
            "data-series": name,
            "data-label": c.label,
            "data-value": v,
          },
          s("title", {}, `${c.label}, ${name}: ${v} ${unit}`),
        ),
      );
      base += v;
    }
    svg.append(s("text", { x: x + step * 0.35, y: H - 8, "text-anchor": "middle" }, c.label));
  });
  const legend = h(
    "ul",
    { class: "legend", "aria-hidden": "true" },
    ...series.map((name, k) =>
      h("li", {}, h("i", { style: `background:${PALETTE[k % PALETTE.length]}` }), name),
    ),
  );
  const fig = figure(id, title, svg, summary, table);
  fig.insertBefore(legend, fig.querySelector("details.data"));
  return fig;
}

/** Horizontal bars, largest first as given: a label and a value each. */
export function bars(
  id: string,
  title: string,
  entries: { label: string; value: number }[],
  table: Table,
  unit: string,
): HTMLElement {
  if (entries.length === 0) return figure(id, title, null, `No ${unit} in this period.`, table);
  const [W, row, labelW] = [360, 18, 150];
  const H = entries.length * row + 4;
  const max = Math.max(...entries.map((e) => e.value), 1);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "bars" });
  entries.forEach((e, i) => {
    const y = i * row + 2;
    const width = ((W - labelW - 40) * e.value) / max;
    const label = e.label.length > 22 ? `${e.label.slice(0, 21)}…` : e.label;
    svg.append(
      s("text", { x: labelW - 4, y: y + 12, "text-anchor": "end" }, s("title", {}, e.label), label),
      s(
        "rect",
        {
          x: labelW,
          y,
          width,
          height: row - 5,
          fill: PALETTE[0]!,
          "data-label": e.label,
          "data-value": e.value,
        },
        s("title", {}, `${e.label}: ${e.value} ${unit}`),
      ),
      s("text", { x: labelW + width + 4, y: y + 12 }, String(e.value)),
    );
  });
  const summary = entries
    .slice(0, 3)
    .map((e) => `${e.label} ${e.value}`)
    .join(", ");
  return figure(id, title, svg, `${entries.length} bars; largest ${summary}`, table);
}
