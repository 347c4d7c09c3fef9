// Subscriptions for signed-in users (`/subscriptions`), and every subscription's health for operators
// (`/admin/subscriptions`); the use cases are in shared/subscriptions/service.ts.
import { accessOf } from "../../auth/authorize.ts";
import { isOperator, principalOf } from "../../auth/principal.ts";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../../errors.ts";
import { parseJsonObject } from "../../http/json-input.ts";
import type { Router } from "../../http/router.ts";
import { type HttpRequest, json } from "../../http/types.ts";
import {
  ackEvents,
  createSubscription,
  present,
  pullEvents,
  pullLimit,
  requireSubscription,
  type SubscriptionServices,
} from "../../subscriptions/service.ts";
import type { ApiDeps } from "../deps.ts";

function services(deps: ApiDeps): SubscriptionServices {
  if (!deps.subscriptions) throw new NotFoundError("this deployment keeps no subscriptions");
  return deps.subscriptions;
}

function owner(req: HttpRequest): string {
  const p = principalOf(req);
  if (!p) throw new UnauthorizedError("sign in to manage subscriptions");
  return p.user;
}

const body = (req: HttpRequest) => parseJsonObject(req.body ?? "", "request body");

export function addSubscriptionRoutes(router: Router, deps: ApiDeps): void {
  router
    .on("POST", "/subscriptions", async (req) => {
      const svc = services(deps);
      const access = accessOf(deps.auth?.policy, req);
      const s = await createSubscription(svc, owner(req), body(req), new Date(), {
        operator: isOperator(principalOf(req)),
        scope: async (named) =>
          named === undefined && access.searchesEverything()
            ? undefined
            : access.scope(
                named,
                (await deps.catalogue.listCollections()).map((c) => c.collection.id),
              ),
      });
      const view = present(s, req.baseUrl, { withSecret: true });
      return json(201, view, { location: view.links[0]!.href });
    })
    .on("GET", "/subscriptions", async (req) => {
      const svc = services(deps);
      const subs = await svc.store.listOwned(owner(req));
      return json(200, { subscriptions: subs.map((s) => present(s, req.baseUrl)) });
    })
    .on("GET", "/subscriptions/{id}", async (req, p) => {
      const svc = services(deps);
      return json(200, present(await requireSubscription(svc, owner(req), p["id"]!), req.baseUrl));
    })
    .on("DELETE", "/subscriptions/{id}", async (req, p) => {
      const svc = services(deps);
      const s = await requireSubscription(svc, owner(req), p["id"]!);
      await svc.store.remove(s.owner, s.id);
      return { status: 204 };
    })
    .on("GET", "/subscriptions/{id}/events", async (req, p) => {
      const svc = services(deps);
      const s = await requireSubscription(svc, owner(req), p["id"]!);
      return json(200, { events: await pullEvents(svc, s, pullLimit(req.query["limit"])) });
    })
    .on("POST", "/subscriptions/{id}/ack", async (req, p) => {
      const svc = services(deps);
      const s = await requireSubscription(svc, owner(req), p["id"]!);
      return json(200, { acknowledged: await ackEvents(svc, s, body(req), new Date()) });
    })
    .on("GET", "/subscriptions/{id}/dead-letters", async (req, p) => {
      const svc = services(deps);
      const s = await requireSubscription(svc, owner(req), p["id"]!);
      const letters = await svc.store.deadLetters(s.id, pullLimit(req.query["limit"] ?? "100"));
      return json(200, {
        deadLetters: letters.map((d) => ({
          event: JSON.parse(d.body),
          attempts: d.attempts,
          failedAt: d.failedAt,
          lastError: d.lastError,
        })),
      });
    })
    .on("GET", "/admin/subscriptions", async (req) => {
      const svc = services(deps);
      const p = principalOf(req);
      if (!p) throw new UnauthorizedError("sign in as an operator to list subscriptions");
      if (!isOperator(p)) throw new ForbiddenError(`user '${p.user}' is not in the 'operators' group`);
      const subs = await svc.store.listAll();
      return json(200, {
        count: subs.length,
        subscriptions: subs.map((s) => ({
          id: s.id,
          owner: s.owner,
          created: s.created,
          delivery:
            s.delivery.type === "webhook"
              ? { type: "webhook", host: new URL(s.delivery.url).host }
              : s.delivery,
          events: s.events,
          status: s.health,
        })),
      });
    });
}
