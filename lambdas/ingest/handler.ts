// Composition root of the ingest function.
import { loadConfig } from "../../shared/config.ts";
import { jsonLogger } from "../../shared/log.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { makeIngestHandler } from "./app.ts";
import { makeIngestDeps } from "./deps.ts";

const config = loadConfig(process.env);
const clients = { region: config.region, s3ForcePathStyle: config.s3ForcePathStyle };

export const handler = makeIngestHandler(
  makeIngestDeps({
    doc: makeDocumentClient(clients),
    s3: makeS3Client(clients),
    table: config.tableName,
    log: jsonLogger,
  }),
);
