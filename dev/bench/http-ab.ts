// `npx tsx dev/bench/http-ab.ts [--new-areas] QUERIES.json ROUNDS URL[@PID,PID…][#PROBE_PORT] …`: times a
// harness query file (../shared/peers/pgstac form: id → POST /search body, `page` for page N) against
// one or more STAC APIs interleaved over keep-alive HTTP, and charges each query the CPU time its
// server's processes spent on it (from /proc, 10 ms ticks, averaged over the rounds); with a probe port
// (api-probe.mjs preloaded into the API process) also that process's CPU in µs and its requests to the
// emulators. `--new-areas`: each round spells every bbox anew (a new area to the API, the same cells).
// For A/B runs of two builds or settings of the local stack on copies of one store; p50s on a busy
// machine are noise, CPU is less so.
import { readFileSync } from "node:fs";
import http from "node:http";

interface Target {
  url: string;
  pids: number[];
  probe?: string;
}

const args = process.argv.slice(2);
const newAreas = args[0] === "--new-areas";
const [file, rounds = "20", ...specs] = newAreas ? args.slice(1) : args;
if (!file || specs.length === 0)
  throw new Error("usage: http-ab.ts [--new-areas] QUERIES.json ROUNDS URL[@PID,PID…][#PROBE_PORT] …");
const queries = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
const targets: Target[] = specs.map((s) => {
  const [spec, probe] = s.split("#");
  const [url, pids = ""] = spec!.split("@");
  return {
    url: url!,
    pids: pids.split(",").filter(Boolean).map(Number),
    ...(probe ? { probe: `http://127.0.0.1:${probe}/` } : {}),
  };
});

/** The API process's own CPU (µs) and requests to the emulators so far, from its probe. */
async function probe(t: Target): Promise<{ requests: number; cpuUs: number }> {
  if (!t.probe) return { requests: 0, cpuUs: 0 };
  return (await (await fetch(t.probe)).json()) as { requests: number; cpuUs: number };
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** User + system CPU of a process, in ms (fields 14 and 15 of /proc/PID/stat, in 10 ms ticks). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function post(url: string, body: unknown): Promise<{ ms: number; text: string }> {
  const u = new URL(`${url}/search`);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          accept: "application/geo+json",
          "content-length": Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ ms: performance.now() - t0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.setNoDelay(true);
    req.on("error", reject);
    req.end(data);
  });
}

/** The body that asks for page `page` of a query: next links followed, untimed. */
async function pageBody(url: string, q: Record<string, unknown>): Promise<unknown> {
  const { page, ...first } = q;
  let body: unknown = first;
  for (let p = 1; p < Number(page ?? 1); p++) {
    const links = (JSON.parse((await post(url, body)).text) as { links: { rel: string; body?: unknown }[] })
      .links;
    body = links.find((l) => l.rel === "next")?.body;
    if (body === undefined) throw new Error(`no page ${p + 1} at ${url}`);
  }
  return body;
}

const bodies = new Map<string, unknown>();
for (const t of targets)
  for (const [id, q] of Object.entries(queries)) bodies.set(`${t.url} ${id}`, await pageBody(t.url, q));

interface Samples {
  ms: number[];
  cpu: number[];
  mainCpu: number[];
  probeCpu: number[];
  requests: number[];
}
const samples = new Map<string, Samples>();
for (let r = -3; r < Number(rounds); r++) {
  for (const id of Object.keys(queries)) {
    // Which target goes first alternates per round.
    for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
      const before = t.pids.map(cpuMs);
      const p0 = await probe(t);
      let body = bodies.get(`${t.url} ${id}`) as Record<string, unknown>;
      if (newAreas && Array.isArray(body["bbox"])) {
        // A west edge moved by less than a micrometre: a spelling no target has seen.
        const b = [...(body["bbox"] as number[])];
        b[0] = b[0]! + (r + 4) * 1e-9 + targets.indexOf(t) * 1e-10;
        body = { ...body, bbox: b };
      }
      const { ms } = await post(t.url, body);
      // Let the server finish what it does after answering (e.g. a count write still landing).
      await new Promise((res) => setTimeout(res, 5));
      const p1 = await probe(t);
      if (r < 0) continue;
      const spent = t.pids.map((p, i) => cpuMs(p) - before[i]!);
      const s = samples.get(`${t.url} ${id}`) ?? { ms: [], cpu: [], mainCpu: [], probeCpu: [], requests: [] };
      s.ms.push(ms);
      s.cpu.push(spent.reduce((a, b) => a + b, 0));
      s.mainCpu.push(spent[0] ?? 0);
      s.probeCpu.push((p1.cpuUs - p0.cpuUs) / 1000);
      s.requests.push(p1.requests - p0.requests);
      samples.set(`${t.url} ${id}`, s);
    }
  }
}
agent.destroy();

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const head = [
  "query",
  ...targets.flatMap((_, i) => [
    `p50 ms ${i + 1}`,
    `cpu ms ${i + 1}`,
    `first pid cpu ${i + 1}`,
    `probe cpu ms ${i + 1}`,
    `requests ${i + 1}`,
  ]),
];
const lines = [head];
const sums = targets.map(() => [0, 0, 0, 0, 0]);
for (const id of Object.keys(queries)) {
  lines.push([
    id,
    ...targets.flatMap((t, i) => {
      const s = samples.get(`${t.url} ${id}`)!;
      const row = [p50(s.ms), mean(s.cpu), mean(s.mainCpu), mean(s.probeCpu), mean(s.requests)];
      row.forEach((v, k) => {
        sums[i]![k]! += v;
      });
      return row.map((v) => v.toFixed(1));
    }),
  ]);
}
lines.push(["sum", ...sums.flatMap((s) => s.map((v) => v.toFixed(1)))]);
for (const [i, t] of targets.entries())
  console.log(`${i + 1}: ${t.url}, processes ${t.pids.join(", ") || "(none given)"}`);
for (const l of lines) console.log(l.join("\t"));
