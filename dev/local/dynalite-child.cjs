// The child process of dynamo-child.ts: dynalite on --port over the store in --path, its port sent to
// the parent once it listens. Exits when its parent goes (the IPC channel closes), so a killed stack
// leaves no process holding the store's lock; Ctrl-C is left to the parent, which closes it in order.
const dynalite = require("dynalite");

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const server = dynalite({ path: arg("path"), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once("error", (err) => {
  process.send?.({ error: err.code ?? String(err) });
  process.exit(1);
});
server.listen(Number(arg("port")), "127.0.0.1", () => process.send?.({ port: server.address().port }));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("disconnect", stop);
process.on("SIGTERM", stop);
process.on("SIGINT", () => {});
