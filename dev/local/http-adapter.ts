// Serves a Lambda handler over HTTP on this machine as API Gateway (HTTP API, payload 2.0) would.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Logger } from "../../shared/log.ts";

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: never,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit on request payloads. */
const MAX_BODY = 10 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error("payload too large"), { status: 413 });
    chunks.push(c as Buffer);
  }
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

export function toEvent(req: IncomingMessage, body: Buffer | undefined): APIGatewayProxyEventV2 {
  // Prefixed rather than resolved against a base: a path starting with `//` is not a host.
  const url = new URL(`http://local${req.url ?? "/"}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(",") : v;
  headers["x-forwarded-proto"] = "http";
  const host = headers["host"] ?? "localhost";
  const textual = /json|text|xml|x-www-form-urlencoded/.test(headers["content-type"] ?? "json");
  const now = Date.now();
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: host,
      domainPrefix: host.split(".")[0] ?? host,
      http: {
        method: req.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    isBase64Encoded: body !== undefined && !textual,
  };
  if (body !== undefined) event.body = textual ? body.toString("utf8") : body.toString("base64");
  return event;
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | number | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/**
 * Requests Node's parser refuses (a request line or headers over its 16 KB, broken framing) are
 * answered as API Gateway would, with a JSON error, rather than the bare status Node sends by default.
 */
function refuseMalformed(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const [status, code] = tooLarge ? [431, "RequestHeaderFieldsTooLarge"] : [400, "BadRequest"];
  const body = JSON.stringify({
    code,
    description: tooLarge ? "the request line and headers are larger than 16 KB" : "malformed HTTP request",
  });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function serveHandler(handler: ApiHandler, log: Logger): Server {
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      send(res, await handler(toEvent(req, body), undefined as never));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (status === 500) log.error("local adapter failure", { error: String(err) });
      send(res, {
        statusCode: status,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          code: status === 413 ? "PayloadTooLarge" : "InternalServerError",
          description: String(err),
        }),
      });
    }
  });
  server.on("clientError", refuseMalformed);
  return server;
}
