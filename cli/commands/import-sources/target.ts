// Writing what an import read into this catalogue through the Transactions API: collections created
// when missing, items a batch per request; when a batch is refused (an item already there, one item
// invalid) its items go one by one, so the others are written and each refusal is counted by name.
import { type Api, apiError } from "../../http.ts";
import type { FoundItem } from "../../search-query.ts";
import type { ImportSource } from "./source.ts";

export interface WriteResult {
  written: number;
  skipped: number;
  failed: { name: string; reason: string }[];
}

async function reason(res: Response): Promise<string> {
  return (await apiError(res)).message;
}

export class Target {
  private readonly known = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly source: ImportSource,
    /** Replace items the target has already (PUT) instead of keeping them. */
    private readonly replace: boolean,
    /** Told of each collection created. */
    private readonly created: (id: string) => void,
  ) {}

  /** POST the collection unless the target has it; true when it was created. */
  async createCollection(c: Record<string, unknown>): Promise<boolean> {
    const id = String(c["id"]);
    const res = await this.api.fetch("/collections", { method: "POST", body: c });
    if (res.status !== 409 && !res.ok) throw await apiError(res);
    await res.body?.cancel();
    this.known.add(id);
    if (res.ok) this.created(id);
    return res.ok;
  }

  private async ensureCollection(id: string): Promise<void> {
    if (this.known.has(id)) return;
    const res = await this.api.fetch(`/collections/${encodeURIComponent(id)}`);
    if (res.status !== 404 && !res.ok) throw await apiError(res);
    await res.body?.cancel();
    if (res.ok) {
      this.known.add(id);
      return;
    }
    const c = await this.source.collection(id);
    if (!c) throw new Error(`collection '${id}' is in neither catalogue`);
    await this.createCollection(c);
  }

  async write(collection: string, items: FoundItem[]): Promise<WriteResult> {
    await this.ensureCollection(collection);
    const path = `/collections/${encodeURIComponent(collection)}/items`;
    const res = await this.api.fetch(path, {
      method: "POST",
      body: { type: "FeatureCollection", features: items },
    });
    if (res.ok) {
      await res.body?.cancel();
      return { written: items.length, skipped: 0, failed: [] };
    }
    if (![400, 409, 413].includes(res.status)) throw await apiError(res);
    await res.body?.cancel();
    const out: WriteResult = { written: 0, skipped: 0, failed: [] };
    for (const item of items) await this.one(path, item, out);
    return out;
  }

  private async one(path: string, item: FoundItem, out: WriteResult): Promise<void> {
    let res = await this.api.fetch(path, { method: "POST", body: item });
    if (res.status === 409 && this.replace) {
      await res.body?.cancel();
      res = await this.api.fetch(`${path}/${encodeURIComponent(item.id)}`, { method: "PUT", body: item });
    }
    if (res.ok) out.written++;
    else if (res.status === 409) out.skipped++;
    else if (res.status === 400 || res.status === 413)
      out.failed.push({ name: item.id, reason: await reason(res) });
    else throw await apiError(res);
    await res.body?.cancel().catch(() => {});
  }
}
