// Mirror apply: reads another hexarchive's change feed and applies it to this catalogue — items
// fetched and written for creations and updates (skipped when this catalogue already holds that
// content hash), deleted with the origin's cause for deletions — keeping its cursor after each change,
// so a re-run resumes and applying a change twice changes nothing.
import { TransientError } from "../errors.ts";
import { QUERYABLES_REL } from "../stac/links.ts";
import type { StacCollection, StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { ChangePage, ItemChange } from "../storage/changes.ts";
import type { MirrorCursors } from "../storage/dynamo-mirror-cursors.ts";
import { indexItem } from "./index-item.ts";

/** What the mirror needs: this catalogue, where it keeps its cursors, and GETs to the origin. */
export interface MirrorDeps {
  catalogue: Catalogue;
  cursors: MirrorCursors;
  /** GET a URL of the origin: status and parsed JSON body. */
  get(url: string): Promise<{ status: number; body: unknown }>;
  log?: (line: string) => void;
}

export interface MirrorOptions {
  /** The origin's API base URL. */
  from: string;
  /** Only these collections (each read from its own feed); absent: the whole catalogue's feed. */
  collections?: string[] | undefined;
  pageSize?: number;
}

export interface MirrorReport {
  read: number;
  written: number;
  deleted: number;
  /** Changes whose content this catalogue already held, or whose item the origin no longer has. */
  skipped: number;
}

/** The version stamp of a mirrored item: its content hash at the origin, so a re-applied change is skipped. */
export const mirrorVersion = (hash: string | undefined): string => `mirror:${hash ?? "unknown"}`;
export const mirrorSource = (origin: string): string => `mirror:${origin}`;

export async function mirrorChanges(deps: MirrorDeps, o: MirrorOptions): Promise<MirrorReport> {
  const from = o.from.replace(/\/+$/, "");
  const report: MirrorReport = { read: 0, written: 0, deleted: 0, skipped: 0 };
  const scopes = o.collections?.length ? o.collections : ["*"];
  const known = new Set<string>();
  for (const scope of scopes) {
    const feed =
      scope === "*" ? `${from}/changes` : `${from}/collections/${encodeURIComponent(scope)}/changes`;
    let since = await deps.cursors.getCursor(from, scope);
    for (;;) {
      const params = new URLSearchParams({ limit: String(o.pageSize ?? 100), ...(since ? { since } : {}) });
      const page = (await getJson(deps, `${feed}?${params}`)) as ChangePage;
      for (const change of page.changes) {
        report.read++;
        const outcome = await applyChange(deps, from, change, known);
        report[outcome]++;
        await deps.cursors.putCursor(from, scope, change.cursor);
      }
      if (page.next === undefined || page.next === since) break;
      since = page.next;
      // Pages that passed only empty days or changes of collections we may not see: keep their position.
      if (page.changes.length === 0) await deps.cursors.putCursor(from, scope, since);
    }
  }
  deps.log?.(
    `${report.read} changes read: ${report.written} written, ${report.deleted} deleted, ${report.skipped} skipped`,
  );
  return report;
}

async function applyChange(
  deps: MirrorDeps,
  from: string,
  change: ItemChange,
  known: Set<string>,
): Promise<"written" | "deleted" | "skipped"> {
  const { catalogue } = deps;
  const local = await catalogue.getItem(change.collection, change.id);
  if (change.kind === "deleted") {
    if (!local) return "skipped";
    const deleted = await catalogue.deleteItem(change.collection, change.id, local, change.deletion);
    return deleted ? "deleted" : "skipped";
  }
  const version = mirrorVersion(change.hash);
  if (local?.version === version) return "skipped";
  const enc = encodeURIComponent;
  const res = await deps.get(`${from}/collections/${enc(change.collection)}/items/${enc(change.id)}`);
  // Gone since (a later change in the feed says so), or an error the next run retries.
  if (res.status === 404 || res.status === 410) return "skipped";
  if (res.status !== 200) throw new TransientError(`origin answered ${res.status} for item '${change.id}'`);
  const item = stripApiLinks(res.body as StacItem);
  if (!known.has(change.collection) && !(await catalogue.getCollection(change.collection))) {
    const c = await getJson(deps, `${from}/collections/${enc(change.collection)}`);
    await catalogue.putCollection(stripApiLinks(c as StacCollection));
  }
  known.add(change.collection);
  await indexItem(
    {
      catalogue,
      describeCollection: () => {
        throw new TransientError(`collection '${change.collection}' vanished while mirroring`);
      },
    },
    item,
    { version, source: mirrorSource(from), expected: local ?? null },
  );
  return "written";
}

/** The links an API adds to what it serves (they name the origin's routes, not this catalogue's). */
function stripApiLinks<T extends { links: { rel: string }[] }>(o: T): T {
  const added = ["self", "parent", "collection", "root", "items", QUERYABLES_REL];
  return { ...o, links: o.links.filter((l) => !added.includes(l.rel)) };
}

async function getJson(deps: MirrorDeps, url: string): Promise<unknown> {
  const res = await deps.get(url);
  if (res.status !== 200) {
    const d = (res.body as { description?: string } | undefined)?.description;
    throw new TransientError(`origin answered ${res.status} for ${url}${d ? `: ${d}` : ""}`);
  }
  return res.body;
}
