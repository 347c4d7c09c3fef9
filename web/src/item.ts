// The product panel: quicklook, the whole product's download, attributes, every asset with size,
// checksum and download link, the files inside the product, and the search as code.
import type { Api, StacAsset, StacItem } from "./api.ts";
import { formatBytes, h } from "./dom.ts";
import { productFiles } from "./files.ts";

const KEY_PROPERTIES = [
  "datetime",
  "platform",
  "constellation",
  "instruments",
  "eo:cloud_cover",
  "sat:orbit_state",
  "sat:relative_orbit",
  "s2:product_type",
  "product:type",
  "processing:level",
  "grid:code",
];

export const quicklookOf = (item: StacItem): StacAsset | undefined =>
  Object.entries(item.assets).find(
    ([k, a]) => k === "thumbnail" || (a.roles ?? []).includes("thumbnail"),
  )?.[1];

const show = (v: unknown): string =>
  Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v);

export function keyAttributes(item: StacItem): [string, string][] {
  return KEY_PROPERTIES.filter((k) => item.properties[k] !== undefined && item.properties[k] !== null).map(
    (k) => [k, show(item.properties[k])],
  );
}

function snippetBlock(label: string, id: string, text: string): HTMLElement {
  const code = h("pre", { id, tabindex: 0 }, h("code", {}, text));
  const copy = h("button", { type: "button", class: "copy", "aria-controls": id }, `Copy ${label}`);
  copy.addEventListener("click", () => {
    void navigator.clipboard?.writeText(text).then(
      () => (copy.textContent = "Copied"),
      () => (copy.textContent = "Select and copy"),
    );
  });
  return h("section", { class: "snippet" }, h("h3", {}, label), code, copy);
}

export function renderItem(
  item: StacItem,
  o: {
    api: Api;
    signedIn: boolean;
    onClose: () => void;
    snippets: { curl: string; pystac: string; sentinelsat: string };
  },
): HTMLElement {
  const close = h("button", { type: "button", class: "close", "aria-label": "Close product" }, "×");
  close.addEventListener("click", o.onClose);
  const ql = quicklookOf(item);
  const protectedDownloads = Object.values(item.assets).some((a) => Array.isArray(a["auth:refs"]));
  const rows = Object.entries(item.assets).map(([key, a]) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, key, a.title ? h("div", { class: "muted" }, a.title) : null),
      h("td", {}, a.type ?? ""),
      h("td", { class: "num" }, formatBytes(a["file:size"])),
      h("td", { class: "checksum" }, a["file:checksum"] ? h("code", {}, a["file:checksum"]) : ""),
      h("td", {}, h("a", { href: a.href, download: "", "data-asset": key }, "Download")),
    ),
  );
  const product = item.assets["product"];
  const itemPath = `/collections/${encodeURIComponent(item.collection ?? "")}/items/${encodeURIComponent(item.id)}`;
  const props = Object.entries(item.properties)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return h(
    "article",
    { class: "item", "aria-labelledby": "item-title" },
    close,
    h("h2", { id: "item-title", tabindex: -1 }, item.id),
    h("p", { class: "muted" }, `Collection ${item.collection ?? ""}`),
    ql ? h("img", { class: "quicklook", src: ql.href, alt: `Quicklook of ${item.id}` }) : null,
    protectedDownloads && !o.signedIn
      ? h(
          "p",
          { class: "notice", role: "note" },
          "Downloads of this collection need sign-in: use Sign in above.",
        )
      : null,
    product
      ? h(
          "p",
          { class: "whole" },
          h(
            "a",
            { href: product.href, download: "", id: "download-product", class: "button primary" },
            `Download the whole product${product["file:size"] === undefined ? "" : ` (${formatBytes(product["file:size"])})`}`,
          ),
        )
      : null,
    h("h3", {}, "Assets"),
    h(
      "table",
      { class: "assets" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["Asset", "Type", "Size", "Checksum (multihash)", ""].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
    product ? productFiles(o.api, itemPath) : null,
    h("h3", {}, "Attributes"),
    h("dl", { class: "props" }, ...props.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, show(v))])),
    h("h3", {}, "This search as code"),
    snippetBlock("curl", "snippet-curl", o.snippets.curl),
    snippetBlock("pystac-client", "snippet-pystac", o.snippets.pystac),
    snippetBlock("sentinelsat", "snippet-sentinelsat", o.snippets.sentinelsat),
  );
}
