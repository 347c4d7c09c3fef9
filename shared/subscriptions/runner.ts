// One run of the subscriptions' background work, as the scheduled Lambda and the local stack's timer do
// it: dispatch the new changes into the queues, then deliver the webhooks that are due. Runs never
// overlap within one process (the Lambda has a reserved concurrency of one).
import type { Logger } from "../log.ts";
import { type DeliverDeps, type DeliverResult, type DeliverySettings, deliverWebhooks } from "./deliverer.ts";
import { type DispatchDeps, type DispatchResult, dispatchChanges } from "./dispatcher.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export interface RunnerDeps extends DispatchDeps {
  send: WebhookSender;
  relay?: DeliverDeps["relay"];
  delivery: DeliverySettings;
  now?: () => Date;
  log: Logger;
  /** Stop starting deliveries this long after a run began (a scheduled run must end before the next). */
  deliveryBudgetMs?: number | undefined;
  /** Changes dispatched per run at most. */
  maxChanges?: number | undefined;
}

export type RunResult = DispatchResult & DeliverResult;

export function subscriptionsRunner(deps: RunnerDeps) {
  let running: Promise<RunResult> | undefined;
  const once = async (): Promise<RunResult> => {
    const started = Date.now();
    const dispatched = await dispatchChanges(deps, { maxChanges: deps.maxChanges });
    const delivered = await deliverWebhooks({
      store: deps.store,
      send: deps.send,
      relay: deps.relay,
      now: deps.now ?? (() => new Date()),
      log: deps.log,
      settings: deps.delivery,
      until: deps.deliveryBudgetMs === undefined ? undefined : started + deps.deliveryBudgetMs,
    });
    return { ...dispatched, ...delivered };
  };
  return {
    /** Runs once, or joins the run in progress. */
    run(): Promise<RunResult> {
      running ??= once().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
