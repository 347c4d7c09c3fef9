// The search page: filters and results beside the map; every search is the page's URL, so it can be
// shared and the back button returns to the previous one.
import "leaflet/dist/leaflet.css";
import "./style.css";
import type { MultiPolygon } from "geojson";
import { Api, type Collection, type ItemCollection, type StacItem } from "./api.ts";
import { AreaError, normalArea, parseAreaText, positionCount, simplifyArea, URL_POSITIONS } from "./area.ts";
import { basketItems, basketList, type ListFormat, setBasket } from "./basket.ts";
import { combobox } from "./combobox.ts";
import { findCountry, loadCountries } from "./countries.ts";
import { coverageLayer } from "./coverage.ts";
import { h } from "./dom.ts";
import { PolygonDrawer } from "./draw.ts";
import { keyAttributes, quicklookOf, renderItem } from "./item.ts";
import { SearchMap } from "./map.ts";
import { completeOidcSignIn, oidcConfig, oidcSignInButton } from "./oidc.ts";
import { operatorsView } from "./operators.ts";
import { curlSnippet, pystacSnippet, sentinelsatSnippet } from "./snippets.ts";
import {
  ORBITS,
  parseBbox,
  roundBbox,
  type SearchState,
  searchBody,
  searchParams,
  stateFromUrl,
  stateToUrl,
} from "./state.ts";
import { toWkt } from "./wkt.ts";

const api = new Api(document.body.dataset["api"] ?? "");
const app = document.getElementById("app")!;
// Back from the OIDC issuer's sign-in: the code exchanged and the URL restored before the page reads it.
const oidc = oidcConfig();
const oidcError = await completeOidcSignIn(api, oidc);

const field = (label: string, id: string, input: HTMLElement, hint?: string) =>
  h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    input,
    hint ? h("small", { id: `${id}-hint` }, hint) : null,
  );

const bboxInput = h("input", {
  id: "f-bbox",
  name: "bbox",
  placeholder: "west,south,east,north",
  "aria-describedby": "f-bbox-hint",
  autocomplete: "off",
});
const collectionsSelect = h("select", { id: "f-collections", name: "collections", multiple: true, size: 4 });
const fromInput = h("input", { id: "f-from", name: "from", type: "date" });
const toInput = h("input", { id: "f-to", name: "to", type: "date" });
const cloudInput = h("input", { id: "f-cloud", name: "cloud", type: "number", min: 0, max: 100, step: 1 });
const qInput = h("input", {
  id: "f-q",
  name: "q",
  type: "search",
  placeholder: "words in title or description",
});
const platformInput = h("input", { id: "f-platform", name: "platform", placeholder: "sentinel-2a" });
const typeInput = h("input", { id: "f-type", name: "type", placeholder: "S2MSI2A" });
const orbitSelect = h(
  "select",
  { id: "f-orbit", name: "orbit" },
  h("option", { value: "" }, "Any"),
  ...ORBITS.map((o) => h("option", { value: o }, o[0]!.toUpperCase() + o.slice(1))),
);
const relorbitInput = h("input", { id: "f-relorbit", name: "relorbit", type: "number", min: 1, step: 1 });
const SORTS: [string, string][] = [
  ["", "Newest first"],
  ["+datetime", "Oldest first"],
  ["+eo:cloud_cover", "Least cloud first"],
];
const sortSelect = h(
  "select",
  { id: "f-sort", name: "sort" },
  ...SORTS.map(([v, t]) => h("option", { value: v }, t)),
);
const drawButton = h("button", { type: "button", id: "draw-box", "aria-pressed": "false" }, "Draw a box");
const polygonButton = h(
  "button",
  { type: "button", id: "draw-polygon", "aria-pressed": "false" },
  "Draw a polygon",
);
const viewButton = h("button", { type: "button", id: "use-view" }, "Use map view");
const clearButton = h("button", { type: "button", id: "clear-box" }, "Clear area");
const geometryInput = h("textarea", {
  id: "f-geometry",
  name: "geometry",
  rows: 3,
  spellcheck: "false",
  placeholder: "POLYGON((10 40, 20 40, 20 55, 10 55, 10 40)) or GeoJSON",
  "aria-describedby": "f-geometry-hint f-geometry-error",
});
const geometryError = h("p", { id: "f-geometry-error", class: "error", role: "alert" });
const countriesUrl = document.body.dataset["countries"] ?? "";
const country = combobox("f-country", {
  placeholder: "e.g. Italy",
  describedBy: "f-country-hint",
  onOpen: () => {
    void loadCountries(countriesUrl)
      .then((cs) => country.setOptions(cs.map((c) => c.name)))
      .catch(() => undefined);
  },
  onPick: () => {
    clearArea("country");
    form.requestSubmit();
  },
});
/** Drawing steps and corners, read out by screen readers. */
const drawAnnounce = h("p", { id: "draw-announce", class: "sr-only", "aria-live": "polite" });
const coverageButton = h(
  "button",
  { type: "button", id: "coverage", "aria-pressed": "false", title: "Products per cell for these filters" },
  "Coverage",
);
const form = h(
  "form",
  { id: "search-form", role: "search", "aria-label": "Search products" },
  field("Area (bbox)", "f-bbox", bboxInput, "Degrees, west,south,east,north; west > east crosses 180°."),
  h("div", { class: "buttons" }, drawButton, polygonButton, viewButton, clearButton, coverageButton),
  drawAnnounce,
  field("Country or region", "f-country", country.element, "Natural Earth outline, searched as drawn."),
  field(
    "Area (WKT or GeoJSON)",
    "f-geometry",
    geometryInput,
    "POLYGON, MULTIPOLYGON, or a GeoJSON geometry, Feature or FeatureCollection; longitude first.",
  ),
  geometryError,
  field("Collections", "f-collections", collectionsSelect, "None selected: all collections."),
  h("div", { class: "row" }, field("From", "f-from", fromInput), field("To", "f-to", toInput)),
  field("Cloud cover at most (%)", "f-cloud", cloudInput),
  h(
    "div",
    { class: "row" },
    field("Platform", "f-platform", platformInput),
    field("Product type", "f-type", typeInput),
  ),
  h(
    "div",
    { class: "row" },
    field("Orbit direction", "f-orbit", orbitSelect),
    field("Relative orbit", "f-relorbit", relorbitInput),
  ),
  field("Text", "f-q", qInput),
  field("Sort", "f-sort", sortSelect),
  h("button", { type: "submit", id: "search", class: "primary" }, "Search"),
);
const status = h("p", { id: "status", role: "status", "aria-live": "polite" });
const results = h("ol", { id: "results", class: "results", "aria-label": "Results" });
const more = h("nav", { class: "paging", "aria-label": "Result pages" });
const panel = h("div", { id: "item-panel", class: "panel", hidden: true });
const account = h("div", { class: "account" });
const basket = h("section", { id: "basket", class: "basket", "aria-label": "Basket" });
const operators = h("section", { class: "operators-wrap", "aria-label": "Operators" });
const mapEl = h("div", { id: "map", role: "region", "aria-label": "Map: footprints of the results" });

app.append(
  h("aside", { class: "side" }, account, operators, basket, form, status, results, more),
  h("section", { class: "mapwrap" }, mapEl, panel),
);

let state = stateFromUrl(location.search);
const map = new SearchMap(
  mapEl,
  {
    land: document.body.dataset["land"] ?? "",
    tiles: document.body.dataset["tiles"],
    attribution: document.body.dataset["tilesAttribution"],
  },
  (bbox) => {
    drawButton.setAttribute("aria-pressed", "false");
    clearArea("bbox");
    bboxInput.value = roundBbox(bbox).join(",");
    form.requestSubmit();
  },
);

/** Empties the area fields other than the one the user is now using: one area at a time. */
function clearArea(keep: "bbox" | "geometry" | "country" | "none"): void {
  if (keep !== "bbox") bboxInput.value = "";
  if (keep !== "geometry") geometryInput.value = "";
  if (keep !== "country") country.input.value = "";
  geometryError.textContent = "";
  geometryInput.removeAttribute("aria-invalid");
}

/** The pasted area, or undefined when the field is empty; unchanged text gives the current area. */
function readGeometry(): MultiPolygon | undefined {
  const text = geometryInput.value.trim();
  if (text === "") return undefined;
  if (state.area && text === toWkt(state.area.coordinates)) return state.area;
  const area = parseAreaText(text);
  if (positionCount(area) <= URL_POSITIONS) return area;
  // The search lives in the page's URL, which must stay short enough to share and reload.
  const small = simplifyArea(area);
  simplifiedNote = `The area was simplified from ${positionCount(area)} to ${positionCount(small)} points to fit in the page's address.`;
  return small;
}

let simplifiedNote = "";

/** The form as a search; an area that cannot be read throws AreaError. */
function readForm(): SearchState {
  const area = readGeometry();
  const countryName = country.input.value.trim() || undefined;
  return {
    bbox: area || countryName ? undefined : parseBbox(bboxInput.value),
    area: countryName ? undefined : area,
    country: countryName,
    collections: [...collectionsSelect.selectedOptions].map((o) => o.value),
    from: fromInput.value || undefined,
    to: toInput.value || undefined,
    cloud: cloudInput.value === "" ? undefined : Number(cloudInput.value),
    q: qInput.value.trim() || undefined,
    platform: platformInput.value.trim() || undefined,
    ptype: typeInput.value.trim() || undefined,
    orbit: ORBITS.find((o) => o === orbitSelect.value),
    relorbit: relorbitInput.value === "" ? undefined : Number(relorbitInput.value),
    sort: sortSelect.value || undefined,
    limit: state.limit,
    coverage: state.coverage,
  };
}

function writeForm(s: SearchState): void {
  bboxInput.value = s.bbox ? roundBbox(s.bbox).join(",") : "";
  geometryInput.value = s.area ? toWkt(s.area.coordinates) : "";
  country.input.value = s.country ?? "";
  for (const o of collectionsSelect.options) o.selected = s.collections.includes(o.value);
  fromInput.value = s.from ?? "";
  toInput.value = s.to ?? "";
  cloudInput.value = s.cloud === undefined ? "" : String(s.cloud);
  qInput.value = s.q ?? "";
  platformInput.value = s.platform ?? "";
  typeInput.value = s.ptype ?? "";
  orbitSelect.value = s.orbit ?? "";
  relorbitInput.value = s.relorbit === undefined ? "" : String(s.relorbit);
  sortSelect.value = s.sort ?? "";
  coverageButton.setAttribute("aria-pressed", String(Boolean(s.coverage)));
}

/** Goes to a state: a new history entry (unless replacing), then the search and the product panel. */
function go(next: SearchState, replace = false): void {
  state = next;
  const url = `${location.pathname}${stateToUrl(state)}`;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  void render();
}

let lastSearch = "";
let lastCoverage = "";

/** The coverage cells for the current filters, fetched again only when the filters or the zoom change. */
async function renderCoverage(): Promise<void> {
  const key = state.coverage
    ? `${stateToUrl({ ...state, token: undefined, item: undefined })}&z=${map.zoom()}`
    : "";
  if (key === lastCoverage) return;
  lastCoverage = key;
  if (!state.coverage) return map.showCoverage(undefined);
  try {
    const layer = await coverageLayer(api, state, map.zoom(), await areaOf(state));
    if (key === lastCoverage) map.showCoverage(layer);
  } catch (err) {
    status.textContent = `Coverage failed: ${(err as Error).message}`;
  }
}

/** The area searched with `intersects`: the drawn or pasted one, or the chosen country's outline. */
async function areaOf(s: SearchState): Promise<MultiPolygon | undefined> {
  if (!s.country) return s.area;
  const found = await findCountry(countriesUrl, s.country);
  if (!found) throw new Error(`no country or region named '${s.country}' in the outlines`);
  return found.area;
}

let shownArea = "";

async function render(): Promise<void> {
  writeForm(state);
  map.showBox(state.bbox);
  const key = `search${stateToUrl({ ...state, item: undefined, coverage: undefined })}`;
  if (key !== lastSearch) {
    lastSearch = key;
    status.textContent = "Searching…";
    try {
      const area = await areaOf(state);
      const areaKey = `${state.country ?? ""}|${area ? toWkt(area.coordinates) : ""}`;
      map.showArea(area, areaKey === shownArea ? "never" : state.country ? "always" : "hidden");
      shownArea = areaKey;
      const page = area
        ? await api.post<ItemCollection>("/search", searchBody(state, area))
        : await api.get<ItemCollection>(`/search?${searchParams(state)}`);
      if (key !== lastSearch) return;
      showResults(page);
    } catch (err) {
      status.textContent = `Search failed: ${(err as Error).message}`;
      results.replaceChildren();
      map.showFootprints([], openItem);
    }
  }
  await Promise.all([showItem(), renderCoverage()]);
}

function showResults(page: ItemCollection): void {
  const n = page.numberMatched;
  status.textContent =
    n === undefined
      ? `${page.features.length} products on this page`
      : `${page["hexarchive:numberMatched"] === "estimate" ? "about " : ""}${n} product${n === 1 ? "" : "s"} found`;
  results.replaceChildren(...page.features.map(resultEntry));
  map.showFootprints(page.features, openItem);
  const next = page.links.find((l) => l.rel === "next");
  const buttons: HTMLElement[] = [];
  if (state.token) {
    const first = h("button", { type: "button" }, "First page");
    first.addEventListener("click", () => go({ ...state, token: undefined, item: undefined }));
    buttons.push(first);
  }
  if (next) {
    // A POST search's next link carries its token in the body it repeats.
    const token = next.body?.token ?? new URL(next.href).searchParams.get("token") ?? undefined;
    const btn = h("button", { type: "button", id: "next-page" }, "Next page");
    btn.addEventListener("click", () => go({ ...state, token, item: undefined }));
    buttons.push(btn);
  }
  more.replaceChildren(...buttons);
}

function resultEntry(item: StacItem): HTMLElement {
  const ql = quicklookOf(item);
  const open = h("button", { type: "button", class: "open", "data-item": item.id }, item.id);
  open.addEventListener("click", () => openItem(item));
  const li = h(
    "li",
    { "data-item": item.id },
    ql
      ? h("img", { src: ql.href, alt: "", loading: "lazy", class: "thumb" })
      : h("div", { class: "thumb none" }),
    h(
      "div",
      {},
      open,
      basketButton(item),
      h(
        "dl",
        { class: "attrs" },
        ...keyAttributes(item)
          .slice(0, 4)
          .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
      ),
    ),
  );
  const on = () => map.highlight(item.id);
  const off = () => map.highlight(undefined);
  li.addEventListener("mouseenter", on);
  li.addEventListener("mouseleave", off);
  open.addEventListener("focus", on);
  open.addEventListener("blur", off);
  return li;
}

const refOf = (item: StacItem) => `${item.collection ?? ""}/${item.id}`;

/** A toggle that puts the product in the basket or takes it out. */
function basketButton(item: StacItem): HTMLButtonElement {
  const ref = refOf(item);
  const b = h("button", { type: "button", class: "to-basket", "data-item": item.id });
  const paint = () => {
    const inside = basketItems().includes(ref);
    b.textContent = inside ? "In basket ✓" : "Add to basket";
    b.setAttribute("aria-pressed", String(inside));
  };
  b.addEventListener("click", () => {
    const now = basketItems();
    setBasket(now.includes(ref) ? now.filter((r) => r !== ref) : [...now, ref]);
    renderBasket();
    for (const other of document.querySelectorAll<HTMLButtonElement>(
      `button.to-basket[data-item="${CSS.escape(item.id)}"]`,
    ))
      other.dispatchEvent(new Event("repaint"));
  });
  b.addEventListener("repaint", paint);
  paint();
  return b;
}

/** A button that gets a download list of the basket and saves it as a file. */
function listButton(id: string, label: string, file: string, format: ListFormat) {
  const b = h("button", { type: "button", id, disabled: basketItems().length === 0 }, label);
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      const list = await basketList(api, basketItems(), format);
      const type = format === "metalink" ? "application/metalink4+xml" : "text/plain";
      const a = h("a", { href: URL.createObjectURL(new Blob([list.text], { type })), download: file });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      status.textContent =
        list.madeBy === "server"
          ? "Download list saved: its links renew themselves, so aria2c -c can resume it for days."
          : `Download list made in this browser (the server's was refused: ${list.why}): its links expire within minutes, start the download now.`;
    } catch (err) {
      status.textContent = `Download list failed: ${(err as Error).message}`;
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

function renderBasket(): void {
  const refs = basketItems();
  const list = listButton("basket-list", "Download list (aria2)", "hexarchive-basket.aria2.txt", "aria2");
  const metalink = listButton("basket-metalink", "Metalink 4", "hexarchive-basket.meta4", "metalink");
  const empty = h("button", { type: "button", disabled: refs.length === 0 }, "Empty");
  empty.addEventListener("click", () => {
    setBasket([]);
    renderBasket();
    for (const b of document.querySelectorAll("button.to-basket")) b.dispatchEvent(new Event("repaint"));
  });
  basket.replaceChildren(
    h(
      "details",
      {},
      h("summary", { id: "basket-summary" }, `Basket (${refs.length})`),
      h("ul", {}, ...refs.map((r) => h("li", {}, r.split("/").slice(1).join("/")))),
      h(
        "p",
        { class: "muted" },
        "The lists have checksums and links that renew themselves: aria2c -c -i hexarchive-basket.aria2.txt, or open the .meta4 file in a Metalink client (aria2c -M).",
      ),
    ),
    h("div", { class: "buttons" }, list, metalink, empty),
  );
}

function openItem(item: StacItem): void {
  go({ ...state, item: `${item.collection ?? ""}/${item.id}` });
}

async function showItem(): Promise<void> {
  if (!state.item) {
    if (!panel.hidden) {
      panel.hidden = true;
      panel.replaceChildren();
      map.resized();
    }
    return;
  }
  const [collection = "", ...rest] = state.item.split("/");
  const id = rest.join("/");
  try {
    const item = await api.get<StacItem>(
      `/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}`,
    );
    panel.replaceChildren(
      renderItem(item, {
        api,
        signedIn: api.user !== undefined,
        onClose: () => go({ ...state, item: undefined }),
        snippets: await areaOf(state)
          .catch(() => undefined)
          .then((area) => ({
            curl: curlSnippet(api.base, state, area),
            pystac: pystacSnippet(api.base, state, area),
            sentinelsat: sentinelsatSnippet(api.base, state, area),
          })),
      }),
    );
    panel.hidden = false;
    map.resized();
    map.highlight(item.id);
    map.focus(item.id);
    panel.querySelector<HTMLElement>("#item-title")?.focus();
  } catch (err) {
    panel.replaceChildren(h("p", { role: "alert" }, `Product ${id}: ${(err as Error).message}`));
    panel.hidden = false;
  }
}

function renderAccount(): void {
  const user = api.user;
  void operatorsView(api, (c) => go({ collections: [c], coverage: true })).then((view) =>
    operators.replaceChildren(...(view ? [view] : [])),
  );
  if (user) {
    const out = h("button", { type: "button", id: "sign-out" }, "Sign out");
    out.addEventListener("click", () => {
      api.signOut();
      renderAccount();
      lastSearch = "";
      void render();
    });
    account.replaceChildren(h("span", {}, `Signed in as ${user} `), out);
    return;
  }
  const userInput = h("input", { id: "u-name", autocomplete: "username", required: true });
  const passInput = h("input", {
    id: "u-pass",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const msg = h("span", { role: "status" });
  const signIn = h(
    "form",
    { id: "sign-in", "aria-label": "Sign in" },
    h(
      "details",
      {},
      h("summary", {}, "Sign in"),
      field("User", "u-name", userInput),
      field("Password", "u-pass", passInput),
      h("button", { type: "submit" }, "Sign in"),
      msg,
    ),
  );
  signIn.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (await api.signIn(userInput.value, passInput.value)) {
      renderAccount();
      lastSearch = "";
      void render();
    } else msg.textContent = "Wrong user or password.";
  });
  const note = h("p", { id: "sign-in-note", role: "status" }, oidcError ?? "");
  const viaIssuer = oidcSignInButton(oidc, (text) => (note.textContent = text));
  account.replaceChildren(...[viaIssuer, signIn, note].filter((e) => e !== null));
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  let next: SearchState;
  try {
    next = readForm();
  } catch (err) {
    if (!(err instanceof AreaError)) throw err;
    geometryError.textContent = `The area cannot be used: ${err.message}.`;
    geometryInput.setAttribute("aria-invalid", "true");
    // Back to the field, in view, to fix it (the message is announced as an alert).
    geometryInput.focus();
    return;
  }
  geometryError.textContent = simplifiedNote;
  simplifiedNote = "";
  geometryInput.removeAttribute("aria-invalid");
  go({ ...next, token: undefined, item: undefined });
});
bboxInput.addEventListener("input", () => clearArea("bbox"));
geometryInput.addEventListener("input", () => clearArea("geometry"));
country.input.addEventListener("input", () => clearArea("country"));
const drawer = new PolygonDrawer(
  map.map,
  (message) => {
    drawAnnounce.textContent = message;
  },
  (ring) => {
    polygonButton.setAttribute("aria-pressed", "false");
    if (!ring) return;
    clearArea("none");
    // Drawn on the plane: east of 180° stays east, and is split there for the API.
    geometryInput.value = toWkt(normalArea([[ring]], { planar: true }).coordinates);
    form.requestSubmit();
  },
);
drawButton.addEventListener("click", () => {
  drawer.cancel();
  const on = drawButton.getAttribute("aria-pressed") !== "true";
  drawButton.setAttribute("aria-pressed", String(on));
  map.setDrawing(on);
});
polygonButton.addEventListener("click", () => {
  if (drawer.active) {
    drawer.cancel();
    return;
  }
  drawButton.setAttribute("aria-pressed", "false");
  map.setDrawing(false);
  polygonButton.setAttribute("aria-pressed", "true");
  drawer.start();
  map.map.getContainer().focus();
});
coverageButton.addEventListener("click", () => {
  go({ ...state, coverage: !state.coverage || undefined });
});
map.map.on("zoomend", () => void renderCoverage());
viewButton.addEventListener("click", () => {
  clearArea("bbox");
  bboxInput.value = roundBbox(map.viewBbox()).join(",");
  form.requestSubmit();
});
clearButton.addEventListener("click", () => {
  clearArea("none");
  form.requestSubmit();
});
window.addEventListener("popstate", () => {
  state = stateFromUrl(location.search);
  void render();
});

renderAccount();
renderBasket();
void api
  .get<{ collections: Collection[] }>("/collections?limit=1000")
  .then((c) => {
    collectionsSelect.replaceChildren(
      ...c.collections.map((col) =>
        h("option", { value: col.id }, col.title ? `${col.title} (${col.id})` : col.id),
      ),
    );
    writeForm(state);
  })
  .catch(() => undefined);
history.replaceState(null, "", `${location.pathname}${stateToUrl(state)}`);
void render();
