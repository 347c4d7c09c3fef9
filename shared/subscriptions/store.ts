// The subscriptions' storage port: subscription records with their health, each one's ordered queue of
// events and its dead letters, which subscriptions were told of a product, and the dispatcher's cursor.
import type { Subscription } from "./model.ts";

/** One event waiting in a subscription's queue. */
export interface QueuedEvent {
  seq: number;
  /** The event's JSON as delivered. */
  body: string;
  eventId: string;
  /** `<collection>␀<item id>`: events of one product are delivered in queue order. */
  product: string;
  attempts: number;
  /** Not retried before this instant (ISO). */
  notBefore?: string;
  lastError?: string;
}

export interface DeadLetter extends QueuedEvent {
  failedAt: string;
}

export interface DispatchState {
  /** The change-log cursor read on from; absent: from the log's start. */
  cursor?: string;
  /** Sequence number of the next event enqueued (the queues' sort keys). */
  seq: number;
}

export interface SubscriptionStore {
  put(s: Subscription): Promise<void>;
  get(owner: string, id: string): Promise<Subscription | undefined>;
  listOwned(owner: string): Promise<Subscription[]>;
  listAll(): Promise<Subscription[]>;
  /** Removes the subscription, its queue and its dead letters. */
  remove(owner: string, id: string): Promise<boolean>;
  /** Adds an event to the queue unless that sequence number is there already (a re-run); true when added. */
  enqueue(s: Pick<Subscription, "owner" | "id">, e: QueuedEvent): Promise<boolean>;
  /** The oldest events of a queue, in order. */
  pending(subscription: string, limit: number): Promise<QueuedEvent[]>;
  delivered(s: Pick<Subscription, "owner" | "id">, seqs: number[], at: string): Promise<void>;
  failed(
    s: Pick<Subscription, "owner" | "id">,
    e: QueuedEvent,
    error: string,
    notBefore: string,
  ): Promise<void>;
  deadLetter(s: Pick<Subscription, "owner" | "id">, e: QueuedEvent, error: string, at: string): Promise<void>;
  deadLetters(subscription: string, limit: number): Promise<DeadLetter[]>;
  /** Records that a subscription was told of a product, so that its deletion reaches it too. */
  told(collection: string, id: string, subscription: string): Promise<void>;
  toldSubscriptions(collection: string, id: string): Promise<string[]>;
  /** Forgets who was told of a product (after its deletion was enqueued for them). */
  forgetTold(collection: string, id: string, subscriptions: string[]): Promise<void>;
  dispatchState(): Promise<DispatchState>;
  saveDispatchState(s: DispatchState): Promise<void>;
}
