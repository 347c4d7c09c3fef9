// A verifying front for s3rver: requests carrying a presigned signature (X-Amz-Signature) are checked as
// S3 checks them (signature, expiry) before being passed on; everything else passes straight through.
// The local API presigns against this front, so a tampered or expired download link fails here as on AWS.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyPresigned } from "./sigv4-verify.ts";

export interface PresignFront {
  endpoint: string;
  server: Server;
  close(): Promise<void>;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

export async function startPresignFront(
  target: string,
  credentials: Record<string, string>,
): Promise<PresignFront> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const raw = req.url ?? "/";
    if (/[?&]X-Amz-Signature=/.test(raw)) {
      const v = verifyPresigned(req.method ?? "GET", raw, req.headers, (k) => credentials[k]);
      if (!v.ok) {
        res.writeHead(v.status, { "content-type": "application/xml" });
        res.end(xmlError(v.code, v.message));
        req.resume();
        return;
      }
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: raw, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on("error", (err) => {
      res.writeHead(502, { "content-type": "application/xml" });
      res.end(xmlError("BadGateway", String(err)));
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
