// The child process of dynamo-child.ts: dynalite on --port over the store in --path, its port sent to
// the parent once it listens. Exits when its parent goes (the IPC channel closes), so a killed stack
// leaves no process holding the store's lock; Ctrl-C is left to the parent, which closes it in order.
// LevelDB's defaults (4 MB write buffer, 8 MB block cache) make a large load spend much of the
// emulator's CPU compacting: the store gets the bench emulator's settings (dev/bench/dynalite-import.cjs,
// where they were measured), set before dynalite takes the class. Memory grows only with what is written.
const level = require("level");
const Level = level.Level;
level.Level = class TunedLevel extends Level {
  constructor(location, options) {
    super(location, {
      ...options,
      writeBufferSize: 64 * 1024 * 1024,
      maxOpenFiles: 8_000,
      cacheSize: 64 * 1024 * 1024,
    });
  }
};
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
