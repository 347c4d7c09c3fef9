// Runs generated hostile requests (hostile-grammar.ts) against the real local stack over HTTP and counts
// what came back: status classes, latency, and every answer that breaks the rules — a 5xx, more than
// 10 s, or a 4xx without a JSON `{code, description}` body (DHuS's own error form under /dhus/).

import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import type { AccessPolicy } from "../../shared/auth/access-policy.ts";
import { itemUuid } from "../../shared/index/product-uuid.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { COLLECTIONS, ITEMS } from "../api/dataset.ts";
import { makeCollection } from "../api/seed.ts";
import { startEphemeralStack } from "../support/stack.ts";
import { generate, type HostileRequest, pathOf, type World } from "./hostile-grammar.ts";

/** A collection only the `partners` group may search and download, as in the issue's reproduction. */
export { RESTRICTED_ACCESS } from "./restricted-access.ts";

export const SLOW_MS = 10_000;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

export interface HostileStack {
  api: string;
  world: World;
  close(): Promise<void>;
}

/** The local stack seeded with a real ingested product, 24 synthetic items and a scratch collection. */
export async function startHostileStack(access: AccessPolicy | undefined): Promise<HostileStack> {
  const stack = await startEphemeralStack({ access }, "hexarchive-hostile-");
  try {
    const product = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:06:31.024Z" });
    await stack.upload(product.key, product.bytes);
    const scratch = makeCollection("scratch", "Scratch", "Written by the hostile-input suite.", []);
    for (const c of [...COLLECTIONS, scratch]) await stack.catalogue.putCollection(c);
    for (const item of ITEMS) {
      const built = buildItemRows(item, "v1");
      await stack.catalogue.putItem(item, built.rows, built.record, "v1");
      await stack.catalogue.extendCollection(item.collection!, built.summary);
    }
    stack.issuer.addUser("partner", "partner-password", ["partners"]);
    const api = stack.endpoints.api;
    const a = stack.endpoints.auth;
    const bearer = (user: string) => `Bearer ${stack.issuer.tokenFor(user, { expiresIn: 86_400 })}`;
    const auth: World["auth"] = {
      user: [bearer(a.user), basic(a.user, a.password)],
      operator: [bearer(a.operator.user), basic(a.operator.user, a.operator.password)],
      partner: [bearer("partner"), basic("partner", "partner-password")],
    };
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${api}${path}`, {
        ...init,
        headers: { authorization: auth.operator[0], "content-type": "application/json", ...init.headers },
      });
      if (res.status !== 200) throw new Error(`seeding: ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const s2 = ((await call("/collections/sentinel-2-l2a/items")).features as StacItem[])[0]!;
    const files = (
      (await call(`/collections/sentinel-2-l2a/items/${s2.id}/files`)).files as { path: string }[]
    )
      .map((f) => f.path)
      .slice(0, 20);
    const nextToken = (doc: Record<string, unknown>) => {
      const next = (doc.links as { rel: string; href: string; body?: { token?: string } }[]).find(
        (l) => l.rel === "next",
      );
      return next?.body?.token ?? (next ? new URL(next.href).searchParams.get("token") : null) ?? undefined;
    };
    const tokens = [
      nextToken(await call("/search?limit=1")),
      nextToken(await call("/search?limit=2&sortby=-properties.eo:cloud_cover")),
      nextToken(
        await call("/search", { method: "POST", body: JSON.stringify({ limit: 1, collections: ["radar"] }) }),
      ),
      nextToken(await call("/collections?limit=1")),
      nextToken(await call("/collections/optical/items?limit=2")),
    ].filter((t): t is string => t !== undefined);
    if (tokens.length < 4) throw new Error(`seeding: only ${tokens.length} paging tokens`);
    const items = [
      ...ITEMS.map((i) => ({
        collection: i.collection!,
        id: i.id,
        assets: Object.keys(i.assets),
        files: [],
      })),
      { collection: "sentinel-2-l2a", id: s2.id, assets: Object.keys(s2.assets), files },
    ];
    const world: World = {
      collections: ["sentinel-2-l2a", ...COLLECTIONS.map((c) => c.id), "scratch"],
      items,
      dhusUuids: [itemUuid(s2), ...ITEMS.slice(0, 6).map(itemUuid)],
      tokens,
      auth,
      scratch: "scratch",
    };
    return { api, world, close: () => stack.close() };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

export interface Failure {
  request: HostileRequest;
  n: number;
  status: number | string;
  ms: number;
  why: string;
  body: string;
}

export interface HostileReport {
  requests: number;
  byClass: Record<string, number>;
  byRoute: Record<string, number>;
  maxLatencyMs: number;
  elapsedMs: number;
  /** CPU time of this process (client and the whole local stack) over the run. */
  cpuMs: number;
  failures: Failure[];
  /** The slowest requests, slowest first (what to look at when the run is slow). */
  slowest: { n: number; ms: number; status: number | string; request: HostileRequest }[];
}

function wellFormedError(path: string, text: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return false;
  }
  const o = (v ?? {}) as { code?: unknown; description?: unknown; error?: { message?: { value?: unknown } } };
  if (typeof o.code === "string" && typeof o.description === "string") return true;
  return path.startsWith("/dhus/") && typeof o.error?.message?.value === "string";
}

async function send(api: string, req: HostileRequest) {
  const withBody = req.body !== undefined && req.method !== "GET" && req.method !== "HEAD";
  const res = await fetch(`${api}${pathOf(req)}`, {
    method: req.method,
    headers: req.headers,
    redirect: "manual",
    signal: AbortSignal.timeout(SLOW_MS + 5_000),
    ...(withBody ? { body: req.body } : {}),
  });
  return { status: res.status, text: await res.text() };
}

/** Sends requests `first … first + count - 1` of the seed's sequence, `concurrency` at a time. */
export async function runHostile(
  stack: HostileStack,
  o: { seed: number; count: number; first?: number; concurrency?: number },
): Promise<HostileReport> {
  const report: HostileReport = {
    requests: 0,
    byClass: {},
    byRoute: {},
    maxLatencyMs: 0,
    elapsedMs: 0,
    cpuMs: 0,
    failures: [],
    slowest: [],
  };
  const first = o.first ?? 0;
  let next = first;
  const started = Date.now();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (next < first + o.count) {
      const n = next++;
      const req = generate(o.seed, n, stack.world);
      const t = Date.now();
      let status: number | string;
      let text = "";
      try {
        ({ status, text } = await send(stack.api, req));
      } catch (err) {
        status = `network error: ${(err as Error).message}`;
      }
      const ms = Date.now() - t;
      report.requests++;
      report.byRoute[req.route] = (report.byRoute[req.route] ?? 0) + 1;
      const cls = typeof status === "number" ? `${Math.floor(status / 100)}xx` : "error";
      report.byClass[cls] = (report.byClass[cls] ?? 0) + 1;
      report.maxLatencyMs = Math.max(report.maxLatencyMs, ms);
      if (report.slowest.length < 10 || ms > report.slowest[report.slowest.length - 1]!.ms) {
        report.slowest.push({ n, ms, status, request: req });
        report.slowest.sort((a, b) => b.ms - a.ms);
        report.slowest.length = Math.min(report.slowest.length, 10);
      }
      const path = `/${req.segments.join("/")}`;
      const why =
        typeof status === "string"
          ? status
          : status >= 500
            ? "5xx"
            : ms > SLOW_MS
              ? "slower than 10 s"
              : status >= 400 && req.method !== "HEAD" && !wellFormedError(path, text)
                ? "4xx without a JSON {code, description} body"
                : undefined;
      if (why) report.failures.push({ request: req, n, status, ms, why, body: text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  report.elapsedMs = Date.now() - started;
  const used = process.cpuUsage(cpu);
  report.cpuMs = Math.round((used.user + used.system) / 1000);
  return report;
}

export function describeReport(label: string, r: HostileReport, slowest = false): string {
  const classes = Object.entries(r.byClass)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const lines = [
    `${label}: ${r.requests} requests in ${(r.elapsedMs / 1000).toFixed(1)} s, ${(r.cpuMs / 1000).toFixed(1)} s CPU (${classes}); max latency ${r.maxLatencyMs} ms; ${r.failures.length} failures`,
  ];
  for (const f of r.failures.slice(0, 15)) {
    const body = f.request.body === undefined ? "" : ` body ${f.request.body.slice(0, 160)}`;
    lines.push(
      `  #${f.n} [${f.why}] ${f.status} ${f.ms} ms  ${f.request.method} ${pathOf(f.request).slice(0, 200)}${body}  → ${f.body}`,
    );
  }
  if (slowest)
    for (const f of r.slowest) {
      const body =
        f.request.body === undefined ? "" : ` body(${f.request.body.length}) ${f.request.body.slice(0, 120)}`;
      lines.push(
        `  slow #${f.n} ${f.status} ${f.ms} ms  ${f.request.method} ${pathOf(f.request).slice(0, 160)}${body}`,
      );
    }
  return lines.join("\n");
}
