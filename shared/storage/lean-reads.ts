// Sends the document client's reads (Query, BatchGetItem, GetItem) and updates by expression as signed
// JSON POSTs over a keep-alive agent, without the SDK's per-command middleware: a search makes 5 to 65
// of them and the SDK's stack cost about 2.5 times the request itself in CPU (docs/measurements.md,
// 2026-12-08). Same client configuration (endpoint, region, credentials, signer), same marshalling,
// same errors by name, the SDK's retry rule for throttling, 5xx and network failures; every other
// command goes to the SDK.
import http from "node:http";
import https from "node:https";
import type { DynamoDBClientResolvedConfig } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "../aws/sha256.ts";

type Attrs = Record<string, unknown>;
/** The document client's own options (lib-dynamodb's translateConfig). */
type Translate = {
  marshallOptions?: Parameters<typeof marshall>[1];
  unmarshallOptions?: Parameters<typeof unmarshall>[1];
};
type Wire = Record<string, unknown>;

/** The SDK's standard retry mode: attempts, and its base delay for exponential backoff with jitter. */
const RETRY = { attempts: 3, baseMs: 100, maxMs: 20_000 } as const;
const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "TransactionInProgressException",
  "LimitExceededException",
]);
const TRANSIENT_NET = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);

/** An error as the SDK's would be seen by callers: `name` the service's error code, `$metadata` the status. */
class LeanServiceError extends Error {
  readonly $fault: "client" | "server";
  readonly $metadata: { httpStatusCode: number; requestId?: string | undefined; attempts: number };
  constructor(
    name: string,
    message: string,
    status: number,
    requestId: string | undefined,
    attempts: number,
  ) {
    super(message);
    this.name = name;
    this.$fault = status >= 500 ? "server" : "client";
    this.$metadata = { httpStatusCode: status, requestId, attempts };
  }
}

/** Attribute values as JSON carries them: binaries base64 (the SDK's codec does this both ways). */
function toWire(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(toWire);
  if (v && typeof v === "object") {
    const out: Wire = {};
    for (const [k, x] of Object.entries(v)) out[k] = toWire(x);
    return out;
  }
  return v;
}

function fromWire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromWire);
  if (!v || typeof v !== "object") return v;
  const o = v as Wire;
  if ("B" in o && typeof o["B"] === "string") return { B: new Uint8Array(Buffer.from(o["B"], "base64")) };
  if ("BS" in o && Array.isArray(o["BS"]))
    return { BS: (o["BS"] as string[]).map((b) => new Uint8Array(Buffer.from(b, "base64"))) };
  const out: Wire = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromWire(x);
  return out;
}

const transientNetwork = (err: unknown) =>
  TRANSIENT_NET.has((err as { code?: string }).code ?? "") || /socket hang up/i.test(String(err));

/** Exponential backoff with full jitter, as the SDK's standard retry strategy. */
const backoff = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(RETRY.maxMs, RETRY.baseMs * 2 ** (attempt - 1))));

function parseBody(text: string): Wire | undefined {
  if (!text) return {};
  try {
    return JSON.parse(text) as Wire;
  } catch {
    return undefined;
  }
}

type Lean = QueryCommand | BatchGetCommand | GetCommand | UpdateCommand;

interface Target {
  url: URL;
  agent: http.Agent;
  signer: SignatureV4;
}

export class LeanReads {
  private target: Promise<Target> | undefined;
  private readonly translate: Translate | undefined;

  constructor(
    private readonly config: DynamoDBClientResolvedConfig,
    translate: Translate | undefined,
  ) {
    this.translate = translate;
  }

  /**
   * The commands sent here: the reads, and updates by expression (a search's usage counter); others
   * (and any with options) go to the SDK.
   */
  static handles(command: unknown): command is Lean {
    if (command instanceof UpdateCommand)
      return command.input.AttributeUpdates === undefined && command.input.Expected === undefined;
    return (
      command instanceof QueryCommand || command instanceof BatchGetCommand || command instanceof GetCommand
    );
  }

  private resolve(): Promise<Target> {
    this.target ??= (async () => {
      const c = this.config;
      const region = await c.region();
      const custom = c.endpoint ? await c.endpoint() : undefined;
      let url: URL;
      if (custom)
        url = new URL(
          `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ""}${custom.path}`,
        );
      else {
        const configured = await (
          c as { serviceConfiguredEndpoint?: () => Promise<string | undefined> }
        ).serviceConfiguredEndpoint?.();
        url = configured
          ? new URL(configured)
          : new URL(
              c.endpointProvider({
                Region: region,
                UseFIPS: await c.useFipsEndpoint(),
                UseDualStack: await c.useDualstackEndpoint(),
                AccountIdEndpointMode: "disabled",
              }).url.href,
            );
      }
      const agent =
        url.protocol === "https:"
          ? new https.Agent({ keepAlive: true, maxSockets: 50 })
          : new http.Agent({ keepAlive: true, maxSockets: 50 });
      const signer = new SignatureV4({
        credentials: c.credentials,
        region,
        service: "dynamodb",
        // node:crypto, as the project's other signed calls (aws/signed-post.ts, one request each).
        sha256: Sha256,
        uriEscapePath: true,
      });
      return { url, agent, signer };
    })();
    return this.target;
  }

  async send(command: Lean): Promise<unknown> {
    // A record of attributes each way, whatever the client's top-level container options say.
    const m = (v: Attrs) =>
      marshall(v, { ...this.translate?.marshallOptions, convertTopLevelContainer: false });
    const item = (wire: unknown): Attrs =>
      unmarshall(wire as never, {
        ...this.translate?.unmarshallOptions,
        convertWithoutMapWrapper: false,
      });
    if (command instanceof QueryCommand) {
      const i = command.input;
      const out = await this.call("Query", {
        ...i,
        ...(i.ExpressionAttributeValues ? { ExpressionAttributeValues: m(i.ExpressionAttributeValues) } : {}),
        ...(i.ExclusiveStartKey ? { ExclusiveStartKey: m(i.ExclusiveStartKey) } : {}),
      });
      return {
        ...out,
        ...(out["Items"] ? { Items: (out["Items"] as unknown[]).map(item) } : {}),
        ...(out["LastEvaluatedKey"] ? { LastEvaluatedKey: item(out["LastEvaluatedKey"]) } : {}),
      };
    }
    if (command instanceof BatchGetCommand) {
      const i = command.input;
      const requestItems: Wire = {};
      for (const [t, r] of Object.entries(i.RequestItems ?? {}))
        requestItems[t] = { ...r, Keys: (r.Keys ?? []).map(m) };
      const out = await this.call("BatchGetItem", { ...i, RequestItems: requestItems });
      const responses: Record<string, Attrs[]> = {};
      for (const [t, items] of Object.entries((out["Responses"] ?? {}) as Record<string, unknown[]>))
        responses[t] = items.map(item);
      const unprocessed: Wire = {};
      for (const [t, r] of Object.entries((out["UnprocessedKeys"] ?? {}) as Record<string, Wire>))
        unprocessed[t] = { ...r, Keys: ((r["Keys"] ?? []) as unknown[]).map(item) };
      return {
        ...out,
        ...(out["Responses"] ? { Responses: responses } : {}),
        ...(out["UnprocessedKeys"] ? { UnprocessedKeys: unprocessed } : {}),
      };
    }
    if (command instanceof UpdateCommand) {
      const i = command.input;
      const out = await this.call("UpdateItem", {
        ...i,
        ...(i.Key ? { Key: m(i.Key) } : {}),
        ...(i.ExpressionAttributeValues ? { ExpressionAttributeValues: m(i.ExpressionAttributeValues) } : {}),
      });
      const metrics = out["ItemCollectionMetrics"] as Wire | undefined;
      return {
        ...out,
        ...(out["Attributes"] ? { Attributes: item(out["Attributes"]) } : {}),
        ...(metrics?.["ItemCollectionKey"]
          ? { ItemCollectionMetrics: { ...metrics, ItemCollectionKey: item(metrics["ItemCollectionKey"]) } }
          : {}),
      };
    }
    const i = command.input;
    const out = await this.call("GetItem", { ...i, ...(i.Key ? { Key: m(i.Key) } : {}) });
    return { ...out, ...(out["Item"] ? { Item: item(out["Item"]) } : {}) };
  }

  private async call(operation: string, input: unknown): Promise<Wire> {
    const t = await this.resolve();
    const body = JSON.stringify(toWire(input));
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= RETRY.attempts;
      let res: Awaited<ReturnType<LeanReads["post"]>>;
      try {
        res = await this.post(t, operation, body);
      } catch (err) {
        if (last || !transientNetwork(err)) throw err;
        await backoff(attempt);
        continue;
      }
      const parsed = parseBody(res.body);
      // Binaries are decoded only where the answer has any (a walk of every item otherwise).
      if (res.status < 300 && parsed) return /"BS?":/.test(res.body) ? (fromWire(parsed) as Wire) : parsed;
      const type = String(parsed?.["__type"] ?? parsed?.["code"] ?? `Http${res.status}`);
      const name = type.slice(type.lastIndexOf("#") + 1);
      const message = String(parsed?.["message"] ?? parsed?.["Message"] ?? name);
      const error = new LeanServiceError(name, message, res.status, res.requestId, attempt);
      if (last || !(res.status >= 500 || res.status === 429 || THROTTLING.has(name))) throw error;
      await backoff(attempt);
    }
  }

  private async post(
    t: Target,
    operation: string,
    body: string,
  ): Promise<{ status: number; body: string; requestId?: string | undefined }> {
    const signed = await t.signer.sign({
      method: "POST",
      protocol: t.url.protocol,
      hostname: t.url.hostname,
      ...(t.url.port ? { port: Number(t.url.port) } : {}),
      path: t.url.pathname,
      query: {},
      headers: {
        host: t.url.host,
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `DynamoDB_20120810.${operation}`,
      },
      body,
    });
    const transport = t.url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          protocol: t.url.protocol,
          hostname: t.url.hostname,
          port: t.url.port || undefined,
          path: t.url.pathname,
          method: "POST",
          agent: t.agent,
          headers: { ...signed.headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              requestId: (res.headers["x-amzn-requestid"] as string | undefined) ?? undefined,
            }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  destroy(): void {
    void this.target?.then((t) => t.agent.destroy()).catch(() => undefined);
  }
}

/**
 * The document client, its reads sent by LeanReads. A `send` with options or a callback, and every
 * other command, is the SDK's own.
 */
export function withLeanReads(doc: DynamoDBDocumentClient): DynamoDBDocumentClient {
  const lean = new LeanReads(
    doc.config as unknown as DynamoDBClientResolvedConfig,
    (doc.config as { translateConfig?: Translate }).translateConfig,
  );
  const sdkSend = doc.send.bind(doc) as (...args: unknown[]) => Promise<unknown>;
  const sdkDestroy = doc.destroy.bind(doc);
  doc.send = ((command: unknown, ...rest: unknown[]) =>
    rest.length === 0 && LeanReads.handles(command)
      ? lean.send(command)
      : sdkSend(command, ...rest)) as typeof doc.send;
  doc.destroy = () => {
    lean.destroy();
    sdkDestroy();
  };
  return doc;
}
