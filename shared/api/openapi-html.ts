// The OpenAPI document rendered as one self-contained HTML page (no scripts, no CDN).
const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

type Obj = Record<string, unknown>;

function parameterRows(ps: Obj[]): string {
  if (ps.length === 0) return "";
  const rows = ps
    .map((p) => {
      const schema = (p["schema"] ?? {}) as Obj;
      const type = schema["enum"] ? (schema["enum"] as unknown[]).join(" | ") : schema["type"];
      return `<tr><td><code>${esc(p["name"])}</code></td><td>${esc(p["in"])}</td><td>${esc(type)}</td><td>${esc(p["description"] ?? "")}</td></tr>`;
    })
    .join("");
  return `<table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>${rows}</table>`;
}

export function renderOpenApiHtml(doc: Obj): string {
  const info = doc["info"] as Obj;
  const sections = Object.entries(doc["paths"] as Record<string, Record<string, Obj>>)
    .map(([path, ops]) =>
      Object.entries(ops)
        .map(([method, o]) => {
          const body = o["requestBody"] ? "<p>Request body: JSON object.</p>" : "";
          return `<section><h2><span class="m">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h2><p>${esc(o["summary"])}</p>${parameterRows((o["parameters"] ?? []) as Obj[])}${body}</section>`;
        })
        .join(""),
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info["title"])}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
section{border-top:1px solid #ddd;padding:.5em 0}.m{background:#246;color:#fff;padding:0 .4em;border-radius:3px;font-size:.8em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.2em .4em;text-align:left;font-size:.9em}</style></head>
<body><h1>${esc(info["title"])}</h1><p>${esc(info["description"])}</p><p>Machine-readable: <a href="api">OpenAPI 3.0 JSON</a>. Errors are JSON <code>{code, description}</code>.</p>${sections}</body></html>`;
}
