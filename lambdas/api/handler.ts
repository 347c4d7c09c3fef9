// Composition root of the API function.
import { loadConfig } from "../../shared/config.ts";
import { jsonLogger } from "../../shared/log.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { S3Presigner } from "../../shared/storage/s3-presigner.ts";
import { makeApiHandler } from "./app.ts";

const config = loadConfig(process.env);
const clients = { region: config.region, s3ForcePathStyle: config.s3ForcePathStyle };

export const handler = makeApiHandler({
  catalogue: new DynamoCatalogue(makeDocumentClient(clients), config.tableName),
  presigner: new S3Presigner(makeS3Client(clients)),
  log: jsonLogger,
  settings: { presignSeconds: config.presignSeconds, publicUrl: config.publicUrl },
});
