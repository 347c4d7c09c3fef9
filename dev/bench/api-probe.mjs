// Preloaded into a local stack's API process for http-ab.ts (`tsx --import ./dev/bench/api-probe.mjs
// dev/local/main.ts`, port in HEXARCHIVE_API_PROBE_PORT): counts the process's outgoing HTTP requests
// (to the emulators) through diagnostics_channel and answers GET / on 127.0.0.1:PORT with them and the
// process's CPU time (process.cpuUsage, µs). Processes that inherit the flag but cannot bind the port
// (the dynalite child) stay silent.
import dc from "node:diagnostics_channel";
import http from "node:http";

let requests = 0;
dc.subscribe("http.client.request.start", () => {
  requests++;
});
const port = Number(process.env.HEXARCHIVE_API_PROBE_PORT ?? 0);
if (port) {
  const server = http.createServer((_req, res) => {
    const u = process.cpuUsage();
    res.end(JSON.stringify({ requests, cpuUs: u.user + u.system }));
  });
  server.on("error", () => undefined);
  server.listen(port, "127.0.0.1");
  server.unref();
}
