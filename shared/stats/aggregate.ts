// What operators ask of the download records, computed from them at query time.
import type { DownloadRecord } from "./ledger.ts";

export interface CollectionMonth {
  collection: string;
  month: string;
  downloads: number;
  bytes: number;
}

export function byCollectionAndMonth(records: DownloadRecord[]): CollectionMonth[] {
  const rows = new Map<string, CollectionMonth>();
  for (const r of records) {
    const month = r.time.slice(0, 7);
    const k = `${r.collection}\u0000${month}`;
    const row = rows.get(k) ?? { collection: r.collection, month, downloads: 0, bytes: 0 };
    row.downloads++;
    row.bytes += r.bytes;
    rows.set(k, row);
  }
  return [...rows.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.collection.localeCompare(b.collection),
  );
}

export interface ProductCount {
  collection: string;
  item: string;
  downloads: number;
  bytes: number;
  users: number;
}

export function topProducts(records: DownloadRecord[], limit: number): ProductCount[] {
  const rows = new Map<string, ProductCount & { who: Set<string> }>();
  for (const r of records) {
    const k = `${r.collection}\u0000${r.item}`;
    const row = rows.get(k) ?? {
      collection: r.collection,
      item: r.item,
      downloads: 0,
      bytes: 0,
      users: 0,
      who: new Set(),
    };
    row.downloads++;
    row.bytes += r.bytes;
    row.who.add(r.user);
    rows.set(k, row);
  }
  return [...rows.values()]
    .map(({ who, ...row }) => ({ ...row, users: who.size }))
    .sort((a, b) => b.downloads - a.downloads || b.users - a.users || a.item.localeCompare(b.item))
    .slice(0, limit);
}

export interface UserActivity {
  user: string;
  downloads: number;
  bytes: number;
  first: string;
  last: string;
}

export function activeUsers(records: DownloadRecord[]): UserActivity[] {
  const rows = new Map<string, UserActivity>();
  for (const r of records) {
    const row = rows.get(r.user) ?? { user: r.user, downloads: 0, bytes: 0, first: r.time, last: r.time };
    row.downloads++;
    row.bytes += r.bytes;
    if (r.time < row.first) row.first = r.time;
    if (r.time > row.last) row.last = r.time;
    rows.set(r.user, row);
  }
  return [...rows.values()].sort((a, b) => b.downloads - a.downloads || a.user.localeCompare(b.user));
}
