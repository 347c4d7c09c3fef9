// Sends one signed webhook POST, through a DNS lookup that refuses private addresses, with a deadline.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signBody } from "./signature.ts";
import { guardedLookup, refusedAddress, type WebhookPolicy } from "./webhook-target.ts";

export interface WebhookRequest {
  url: string;
  body: string;
  secret: string;
  eventId: string;
  unixSeconds: number;
}

/** Resolves to the receiver's HTTP status; rejects on a refused address, a network error or the deadline. */
export type WebhookSender = (r: WebhookRequest) => Promise<number>;

export function httpWebhookSender(policy: WebhookPolicy, timeoutMs = 10_000): WebhookSender {
  const lookup = guardedLookup(policy);
  return (r) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(r.url);
      const host = url.hostname.replace(/^\[|\]$/g, "");
      const refused = isIP(host) ? refusedAddress(host, policy) : undefined;
      if (refused) return reject(new Error(`refused: ${refused}`));
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: "POST",
          lookup,
          timeout: timeoutMs,
          headers: {
            "content-type": "application/json",
            "user-agent": "hexarchive-webhooks/1",
            [SIGNATURE_HEADER]: signBody(r.secret, r.body, r.unixSeconds),
            [EVENT_ID_HEADER]: r.eventId,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(r.body);
    });
}
