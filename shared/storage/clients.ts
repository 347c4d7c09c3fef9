// SDK clients from configuration. Emulators are reached through explicit endpoints (standard
// AWS_ENDPOINT_URL_* variables or arguments), never by sniffing the environment's name.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface ClientOptions {
  region: string;
  s3ForcePathStyle?: boolean;
  dynamoEndpoint?: string;
  s3Endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function makeDocumentClient(o: ClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: o.region,
    ...(o.dynamoEndpoint ? { endpoint: o.dynamoEndpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function makeS3Client(o: ClientOptions): S3Client {
  return new S3Client({
    region: o.region,
    forcePathStyle: o.s3ForcePathStyle ?? false,
    ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  });
}
