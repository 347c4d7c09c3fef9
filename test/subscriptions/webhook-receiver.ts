// A real HTTP webhook receiver for tests: checks every request's signature with the subscription's
// secret, records what it accepted in order, and answers 500 to as many requests as it is told to.
import { createServer } from "node:http";
import { verifySignature } from "../../shared/subscriptions/signature.ts";
import { listening } from "../support/table.ts";

export interface Received {
  id: string;
  type: string;
  item_id: string;
  subscription: string;
  item?: { properties: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  /** Events answered 2xx, in arrival order. */
  accepted: Received[];
  /** Requests whose signature did not verify. */
  badSignatures: number;
  /** Requests answered 500 on purpose. */
  refused: number;
  secret: string;
  /** The next n requests are answered 500. */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let failures = 0;
  const r: Receiver = {
    url: "",
    accepted: [],
    badSignatures: 0,
    refused: 0,
    secret: "",
    failNext(n) {
      failures = n;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (!verifySignature(r.secret, body, req.headers["x-hexarchive-signature"] as string | undefined)) {
        r.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      if (failures > 0) {
        failures--;
        r.refused++;
        res.writeHead(500).end();
        return;
      }
      r.accepted.push(JSON.parse(body) as Received);
      res.writeHead(204).end();
    });
  });
  r.url = `http://127.0.0.1:${await listening(server)}/hook`;
  return r;
}
