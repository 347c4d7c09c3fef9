// The document client's reads sent without the SDK's middleware (shared/storage/lean-reads.ts): the
// same answers and errors as the SDK's on dynalite, a SigV4 signature checked independently, and the
// SDK's retries (throttling, 5xx) against a stub for the failures the emulator cannot produce.
import { createHash, createHmac } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withLeanReads } from "../../shared/storage/lean-reads.ts";
import { listening, startTestTable, type TestTable } from "../support/table.ts";

const credentials = { accessKeyId: "AKIDLEAN", secretAccessKey: "lean-secret" };
let t: TestTable;
let lean: DynamoDBDocumentClient;

const docOf = (endpoint: string) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-central-1", credentials, endpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });

beforeAll(async () => {
  t = await startTestTable();
  lean = withLeanReads(docOf(t.endpoint));
  const items = [
    {
      pk: "LEAN",
      sk: "a",
      n: 1,
      s: "x",
      nested: { l: [1, "two", { three: true }], m: { k: null } },
      bin: new Uint8Array([0, 1, 255]),
    },
    { pk: "LEAN", sk: "b", n: 2.5, set: new Set(["p", "q"]), nums: new Set([1, 2]), empty: "" },
    { pk: "LEAN", sk: "c", n: -3, big: 9007199254740991 },
    { pk: "LEAN", sk: "d", n: 4 },
  ];
  for (const Item of items) await t.doc.send(new PutCommand({ TableName: t.table, Item }));
});
afterAll(async () => {
  lean?.destroy();
  await t?.close();
});

describe("lean reads against dynalite", () => {
  it("answer Query page by page as the SDK does (ExclusiveStartKey, LastEvaluatedKey, capacity)", async () => {
    const query = (start?: Record<string, unknown>) =>
      new QueryCommand({
        TableName: t.table,
        KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :lo AND :hi",
        ExpressionAttributeNames: { "#pk": "pk", "#sk": "sk" },
        ExpressionAttributeValues: { ":pk": "LEAN", ":lo": "a", ":hi": "z" },
        Limit: 2,
        ScanIndexForward: false,
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: "TOTAL",
      });
    let sdkKey: Record<string, unknown> | undefined;
    let leanKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const [a, b] = [await t.doc.send(query(sdkKey)), await lean.send(query(leanKey))];
      const { $metadata: _a, ...sdk } = a;
      const { $metadata: _b, ...ours } = b as typeof a;
      expect(ours).toEqual(sdk);
      sdkKey = a.LastEvaluatedKey;
      leanKey = (b as typeof a).LastEvaluatedKey;
      pages++;
    } while (sdkKey);
    expect(pages).toBe(3);
  });

  it("answer BatchGetItem and GetItem as the SDK does, binaries and sets included", async () => {
    const batch = new BatchGetCommand({
      RequestItems: { [t.table]: { Keys: ["a", "b", "c", "missing"].map((sk) => ({ pk: "LEAN", sk })) } },
      ReturnConsumedCapacity: "TOTAL",
    });
    // BatchGetItem answers in no particular order.
    const bySk = (o: { Responses?: Record<string, Record<string, unknown>[]> | undefined }) =>
      [...(o.Responses?.[t.table] ?? [])].sort((x, y) => String(x["sk"]).localeCompare(String(y["sk"])));
    const { $metadata: _a, Responses: _r, ...sdk } = await t.doc.send(batch);
    const oursAll = (await lean.send(batch)) as typeof sdk & {
      Responses?: Record<string, Record<string, unknown>[]>;
    };
    const { $metadata: _b, Responses: _s, ...ours } = oursAll as typeof oursAll & { $metadata?: unknown };
    expect(ours).toEqual(sdk);
    expect(bySk(oursAll)).toEqual(bySk(await t.doc.send(batch)));
    expect(bySk(oursAll)).toHaveLength(3);
    for (const sk of ["a", "missing"]) {
      const get = new GetCommand({ TableName: t.table, Key: { pk: "LEAN", sk } });
      const { $metadata: _c, ...s } = await t.doc.send(get);
      const { $metadata: _d, ...o } = (await lean.send(get)) as typeof s & { $metadata?: unknown };
      expect(o).toEqual(s);
    }
    const a = (await lean.send(new GetCommand({ TableName: t.table, Key: { pk: "LEAN", sk: "a" } }))).Item!;
    expect(a["bin"]).toEqual(new Uint8Array([0, 1, 255]));
  });

  it("update by expression as the SDK does: counters, returned attributes, a failed condition", async () => {
    const add = (sk: string) =>
      new UpdateCommand({
        TableName: t.table,
        Key: { pk: "LEAN-UPD", sk },
        UpdateExpression: "ADD #n :one SET #m = :m",
        ExpressionAttributeNames: { "#n": "n", "#m": "m" },
        ExpressionAttributeValues: { ":one": 1, ":m": { nested: ["x", 2, new Set(["s"])] } },
        ReturnValues: "ALL_NEW",
        ReturnConsumedCapacity: "TOTAL",
      });
    const { $metadata: _a, ...sdk } = await t.doc.send(add("sdk"));
    const { $metadata: _b, ...ours } = (await lean.send(add("lean"))) as typeof sdk & { $metadata?: unknown };
    expect({ ...ours, Attributes: { ...ours.Attributes, sk: "?" } }).toEqual({
      ...sdk,
      Attributes: { ...sdk.Attributes, sk: "?" },
    });
    expect((await lean.send(add("lean"))).Attributes?.["n"]).toBe(2);
    const guarded = new UpdateCommand({
      TableName: t.table,
      Key: { pk: "LEAN-UPD", sk: "lean" },
      UpdateExpression: "SET #n = :n",
      ConditionExpression: "attribute_not_exists(#n)",
      ExpressionAttributeNames: { "#n": "n" },
      ExpressionAttributeValues: { ":n": 0 },
    });
    const sdkError = (await t.doc.send(guarded).catch((e: Error) => e)) as Error;
    const ourError = (await lean.send(guarded).catch((e: Error) => e)) as Error;
    expect(sdkError.name).toBe("ConditionalCheckFailedException");
    expect(ourError.name).toBe(sdkError.name);
  });

  it("fail as the SDK does, by the service's error name", async () => {
    const missing = new GetCommand({ TableName: "no-such-table", Key: { pk: "x", sk: "y" } });
    const sdk = await t.doc.send(missing).catch((e: Error) => e);
    const ours = await lean.send(missing).catch((e: Error) => e);
    expect(sdk).toBeInstanceOf(Error);
    expect((ours as Error).name).toBe((sdk as Error).name);
    expect((ours as Error).name).toBe("ResourceNotFoundException");
    expect((ours as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });
});

/** Records what a stub DynamoDB receives and answers with the queued responses. */
async function stub(answers: { status: number; body: unknown }[]) {
  const seen: { headers: IncomingMessage["headers"]; body: string; url: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), url: req.url ?? "" });
      const a = answers.shift() ?? { status: 200, body: {} };
      res.writeHead(a.status, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(a.body));
    });
  });
  const port = await listening(server);
  return {
    doc: withLeanReads(docOf(`http://127.0.0.1:${port}`)),
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** SigV4 of a received request, computed here with node:crypto alone (not the SDK's signer). */
function expectedSignature(r: { headers: IncomingMessage["headers"]; body: string; url: string }): string {
  const auth = String(r.headers["authorization"]);
  const signed = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(";");
  const scope = /Credential=[^/]+\/([^,]+)/.exec(auth)![1]!;
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const canonical = [
    "POST",
    r.url,
    "",
    ...signed.map((h) => `${h}:${String(r.headers[h]).trim()}`),
    "",
    signed.join(";"),
    sha(r.body),
  ].join("\n");
  const date = String(r.headers["x-amz-date"]);
  const toSign = ["AWS4-HMAC-SHA256", date, scope, sha(canonical)].join("\n");
  const [day, region, service] = scope.split("/");
  let key: Buffer = createHmac("sha256", `AWS4${credentials.secretAccessKey}`).update(day!).digest();
  for (const part of [region!, service!, "aws4_request"])
    key = createHmac("sha256", key).update(part).digest();
  return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("lean reads against a stub", () => {
  it("sign each request with SigV4 for the client's region and credentials", async () => {
    const s = await stub([{ status: 200, body: { Items: [], Count: 0 } }]);
    try {
      await s.doc.send(
        new QueryCommand({
          TableName: "t",
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": "p" },
        }),
      );
      const r = s.seen[0]!;
      expect(r.headers["x-amz-target"]).toBe("DynamoDB_20120810.Query");
      // Not the SDK's request (which names itself in x-amz-user-agent).
      expect(r.headers["x-amz-user-agent"]).toBeUndefined();
      expect(JSON.parse(r.body)).toMatchObject({ ExpressionAttributeValues: { ":pk": { S: "p" } } });
      const auth = String(r.headers["authorization"]);
      expect(auth).toContain(`Credential=${credentials.accessKeyId}/`);
      expect(auth).toContain("/eu-central-1/dynamodb/aws4_request");
      expect(auth).toMatch(/SignedHeaders=[^,]*x-amz-target/);
      expect(/Signature=([0-9a-f]+)/.exec(auth)![1]).toBe(expectedSignature(r));
    } finally {
      s.doc.destroy();
      await s.close();
    }
  });

  it("retry throttling and 5xx answers, as the SDK's standard retries do", async () => {
    const throttled = {
      status: 400,
      body: {
        __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        message: "slow",
      },
    };
    const s = await stub([
      throttled,
      { status: 500, body: {} },
      { status: 200, body: { Item: { pk: { S: "p" } } } },
    ]);
    try {
      const out = await s.doc.send(new GetCommand({ TableName: "t", Key: { pk: "p" } }));
      expect(out.Item).toEqual({ pk: "p" });
      expect(s.seen).toHaveLength(3);
    } finally {
      s.doc.destroy();
      await s.close();
    }
  });

  it("do not retry a client error, and give up after three attempts", async () => {
    const invalid = {
      status: 400,
      body: { __type: "com.amazon.coral.validate#ValidationException", message: "bad key" },
    };
    const s = await stub([
      invalid,
      { status: 503, body: {} },
      { status: 503, body: {} },
      { status: 503, body: {} },
    ]);
    try {
      const get = () => s.doc.send(new GetCommand({ TableName: "t", Key: { pk: "p" } }));
      await expect(get()).rejects.toMatchObject({ name: "ValidationException", message: "bad key" });
      expect(s.seen).toHaveLength(1);
      await expect(get()).rejects.toMatchObject({ $metadata: { httpStatusCode: 503, attempts: 3 } });
      expect(s.seen).toHaveLength(4);
    } finally {
      s.doc.destroy();
      await s.close();
    }
  });
});
