// The same feed as Atom XML (DHuS's default format).
import { feedHead, HUB_NAME, toEntry } from "./feed.ts";
import { toProduct } from "./product.ts";
import type { DhusPage, DhusSearch } from "./search.ts";

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function xmlFeed(base: string, req: DhusSearch, page: DhusPage, now = new Date()): string {
  const head = feedHead(base, req, page.total, "application/atom+xml", now);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns="http://www.w3.org/2005/Atom">',
    `<title>${esc(head.title)}</title>`,
    `<subtitle>${esc(head.subtitle)}</subtitle>`,
    `<updated>${head.updated}</updated>`,
    `<author><name>${esc(HUB_NAME)}</name></author>`,
    `<id>${esc(head.id)}</id>`,
    `<opensearch:totalResults>${page.total}</opensearch:totalResults>`,
    `<opensearch:startIndex>${req.start}</opensearch:startIndex>`,
    `<opensearch:itemsPerPage>${req.rows}</opensearch:itemsPerPage>`,
    `<opensearch:Query role="request" searchTerms="${esc(req.q)}" startPage="1"/>`,
    ...head.links.map((l) => `<link rel="${l.rel}" type="${l.type}" href="${esc(l.href)}"/>`),
  ];
  for (const { item, summary } of page.items) {
    const e = toEntry(base, toProduct(item, summary));
    lines.push("<entry>", `<title>${esc(e.title)}</title>`);
    for (const l of e.links) lines.push(`<link${l.rel ? ` rel="${l.rel}"` : ""} href="${esc(l.href)}"/>`);
    lines.push(`<id>${e.id}</id>`, `<summary>${esc(e.summary)}</summary>`, "<ondemand>false</ondemand>");
    for (const type of ["date", "int", "double", "str"] as const)
      for (const v of e.values[type]) lines.push(`<${type} name="${v.name}">${esc(v.content)}</${type}>`);
    lines.push("</entry>");
  }
  lines.push("</feed>");
  return lines.join("\n");
}

export function xmlFeedError(message: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns="http://www.w3.org/2005/Atom">\n<error><code>400</code><message>${esc(message)}</message></error>\n</feed>`;
}
