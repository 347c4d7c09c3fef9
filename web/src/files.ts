// The files inside a product (the API's `…/files` list) as a folder tree, each file with its size and a
// download link; a signed-in user's links are signed by the API, so they open without credentials.
import type { Api } from "./api.ts";
import { formatBytes, h } from "./dom.ts";

export interface ProductFile {
  path: string;
  size: number;
  href: string;
}

interface Folder {
  folders: Map<string, Folder>;
  files: ProductFile[];
  size: number;
  count: number;
}

const folder = (): Folder => ({ folders: new Map(), files: [], size: 0, count: 0 });

/** The list as nested folders, each knowing how many files and bytes it holds. */
export function fileTree(files: ProductFile[]): Folder {
  const root = folder();
  for (const f of files) {
    const parts = f.path.split("/");
    let at = root;
    at.size += f.size;
    at.count++;
    for (const name of parts.slice(0, -1)) {
      const next = at.folders.get(name) ?? folder();
      at.folders.set(name, next);
      at = next;
      at.size += f.size;
      at.count++;
    }
    at.files.push(f);
  }
  return root;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

function renderFolder(f: Folder): HTMLElement {
  const byName = (a: string, b: string) => a.localeCompare(b);
  return h(
    "ul",
    { class: "tree" },
    ...[...f.folders.entries()]
      .sort(([a], [b]) => byName(a, b))
      .map(([name, sub]) =>
        h(
          "li",
          { class: "folder" },
          h(
            "details",
            {},
            h(
              "summary",
              {},
              `${name}/`,
              h("span", { class: "muted" }, ` ${plural(sub.count, "file")}, ${formatBytes(sub.size)}`),
            ),
            renderFolder(sub),
          ),
        ),
      ),
    ...[...f.files]
      .sort((a, b) => byName(a.path, b.path))
      .map((file) =>
        h(
          "li",
          { class: "file", "data-path": file.path },
          h(
            "a",
            { href: file.href, download: "", "data-file": file.path, title: `Download ${file.path}` },
            file.path.split("/").pop() ?? file.path,
          ),
          h("span", { class: "size" }, formatBytes(file.size)),
        ),
      ),
  );
}

/** The section, filled in when the list arrives: the tree, or why there is none. */
export function productFiles(api: Api, itemPath: string): HTMLElement {
  const body = h(
    "div",
    { class: "files", "aria-busy": "true" },
    h("p", { class: "muted" }, "Listing the files…"),
  );
  const section = h(
    "section",
    { id: "product-files", "aria-labelledby": "product-files-title" },
    h("h3", { id: "product-files-title" }, "Files inside the product"),
    body,
  );
  void api
    .getWithStatus<{ root: string; files: ProductFile[] }>(`${itemPath}/files`)
    .then(({ status, body: list }) => {
      body.removeAttribute("aria-busy");
      if (status === 401)
        return body.replaceChildren(
          h(
            "p",
            { class: "muted", role: "note" },
            "Sign in to list and download the files inside the product.",
          ),
        );
      if (status === 404)
        return body.replaceChildren(
          h("p", { class: "muted" }, "This product is no archive: its files are the assets above."),
        );
      if (!list)
        return body.replaceChildren(h("p", { role: "alert" }, `The files could not be listed (${status}).`));
      const tree = fileTree(list.files);
      body.replaceChildren(
        h(
          "p",
          { class: "muted" },
          `${plural(tree.count, "file")}, ${formatBytes(tree.size)}${list.root ? ` in ${list.root}` : ""}`,
        ),
        renderFolder(tree),
      );
    });
  return section;
}
