// The bench's emulator process: dynalite's own HTTP server (as `dynalite --path DIR`), plus a bulk
// import channel on the IPC pipe — the local analogue of DynamoDB's ImportTable. Imported items go
// straight into dynalite's store (its own key and value encodings, one LevelDB batch per message),
// skipping what BatchWriteItem costs per item on the emulator: HTTP, a lock and a read of the old item.
// Everything else (collection records, row counts, every query) goes through the HTTP API as usual.
// dynalite opens LevelDB with its defaults (4 MB write buffer, 1,000 open files, 8 MB cache): a bulk
// load of a million items then spends much of its CPU compacting, and reads reopen files once the
// store has more than 1,000 (an uncompressed 1M store had 3,892). The bench's store gets a larger
// write buffer, room to keep its files open and a larger block cache (set before dynalite/db takes
// the class). Measured at 1M and not kept:
// no compression (faster load, but reads of its ~8 GB were markedly slower: Q5 p50 16 → 35–67 ms);
// 8 MB files (searches no better: Q1 p95 111–127 ms, Q6 119–132 ms, against 103–136 and 98–120 kept).
// The block cache was 256 MB until 2026-12-07: 64 MB cut the child's peak RSS after a 150k load from
// 1,091 to 710 MB (with 32 MB write buffers in that run) at no CPU cost visible in a 30k pair
// (dev/bench/README.md, Memory).
const level = require("level");
const Level = level.Level;
level.Level = class BulkLevel extends Level {
  constructor(location, options) {
    super(location, {
      ...options,
      writeBufferSize: 64 * 1024 * 1024,
      maxOpenFiles: 8_000,
      cacheSize: 64 * 1024 * 1024,
    });
  }
};
const dynaliteDb = require("dynalite/db");

let store;
const create = dynaliteDb.create;
dynaliteDb.create = (options) => {
  store = create(options);
  return store;
};
const dynalite = require("dynalite");

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const port = Number(arg("port"));
const server = dynalite({ path: arg("path"), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(port, "127.0.0.1", () => console.log(`dynalite listening on ${port}`));

const tables = new Map();
const tableOf = (name) =>
  tables.get(name) ??
  new Promise((resolve, reject) =>
    store.getTable(name, false, (err, table) => {
      if (err) return reject(err);
      tables.set(name, table);
      resolve(table);
    }),
  );

// { id, table, pk: [partition key, …], sk: [sort key, …], json: [the whole item as DynamoDB JSON text, …] }
// (string keys: the catalogue's table) → { id } or { id, error }. The text is stored as it is (dynalite keeps items as DynamoDB JSON), so
// this process neither parses nor re-serialises the items; the sender validated and sized them.
// { id, table, count: [partition key, …] } → { id, counts: [rows in each partition, …] }: the store's
// keys are walked, not its values (a partition's keys share the prefix of createKey's hash and key).
process.on("message", async (m) => {
  try {
    const table = await tableOf(m.table);
    if (m.count) {
      const counts = [];
      for (const pk of m.count) counts.push(await countPartition(m.table, table, pk));
      process.send({ id: m.id, counts });
      return;
    }
    const [hashKey, rangeKey] = table.KeySchema.map((k) => k.AttributeName);
    const ops = m.json.map((json, i) => ({
      type: "put",
      key: dynaliteDb.createKey({ [hashKey]: { S: m.pk[i] }, [rangeKey]: { S: m.sk[i] } }, table),
      value: json,
      valueEncoding: "utf8",
    }));
    await new Promise((resolve, reject) =>
      store.getItemDb(m.table).batch(ops, (err) => (err ? reject(err) : resolve())),
    );
    process.send({ id: m.id });
  } catch (err) {
    process.send({ id: m.id, error: err.message });
  }
});

function countPartition(name, table, pk) {
  const hashKey = table.KeySchema[0].AttributeName;
  const rangeKey = table.KeySchema[1].AttributeName;
  // createKey of (pk, "") is "<hash>/<hex pk>//": the partition's keys start with all of it but the last
  // "/". The item store is a prefixed view of one LevelDB ("item-TABLE~"), whose key stream takes its
  // range in the LevelDB's own keys.
  const key = dynaliteDb.createKey({ [hashKey]: { S: pk }, [rangeKey]: { S: "" } }, table).slice(0, -1);
  const prefix = `item-${name}~${key}`;
  return new Promise((resolve, reject) => {
    let n = 0;
    store
      .getItemDb(name)
      .createKeyStream({ gte: prefix, lt: `${prefix}\uffff` })
      .on("data", () => n++)
      .on("error", reject)
      .on("end", () => resolve(n));
  });
}

process.on("SIGTERM", () => server.close(() => process.exit(0)));
// The bench that started this process is gone (killed, crashed): do not outlive it.
process.on("disconnect", () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
