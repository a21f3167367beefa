import type { Database, DatabaseKind, Queryable } from "@apf/db";
import { insertEventDeliveries } from "@apf/db/queries/webhooks";
import type { Logger } from "pino";
import type { Env } from "../../env.ts";
import { attemptDelivery, type DeliveryDeps } from "./deliver.ts";
import { type DeliveryQueue, graphileDeliveryQueue, inProcessDeliveryQueue } from "./queue.ts";
import { retryPolicyOf } from "./retry-policy.ts";

/** Webhook deliveries on one instance: the queue, and the settings every attempt follows. */
export interface Webhooks {
  queue: DeliveryQueue;
  /** Whether http:// and private addresses are allowed (APF_WEBHOOKS_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** The deliveries of numbered events, with their first attempt, in `tx` (the relay's). */
  fanOut(tx: Queryable, eventIds: readonly string[]): Promise<number>;
  /** Starts this instance's worker (every instance runs one). */
  start(): Promise<void>;
  /** One attempt now (tests, the test route). */
  attempt(deliveryId: string): Promise<void>;
  close(): Promise<void>;
}

export interface WebhookOptions {
  /** How often graphile-worker looks for tasks due later (retries); default 1 s. */
  pollIntervalMs?: number;
  /** How often it looks for tasks a dead worker held (graphile-worker's default: 8–10 min). */
  resetLockedIntervalMs?: number;
  /** Run no worker here (a process that only adds tasks). */
  worker?: boolean;
}

/**
 * Webhooks on graphile-worker when the database is Postgres (`databaseUrl`), else on the
 * in-process queue over the same tables; prepare() creates graphile-worker's schema.
 */
export async function createWebhooks(
  deps: { db: Database; dbKind: DatabaseKind; logger: Logger; config: Env },
  databaseUrl: string | null,
  options: WebhookOptions = {},
): Promise<Webhooks> {
  const queue =
    deps.dbKind === "postgres" && databaseUrl
      ? graphileDeliveryQueue(databaseUrl, deps.logger, options)
      : inProcessDeliveryQueue(deps.db, deps.logger, options);
  await queue.prepare();
  const delivery: DeliveryDeps = {
    db: deps.db,
    logger: deps.logger,
    queue,
    retry: retryPolicyOf(deps.config),
    allowPrivate: deps.config.APF_WEBHOOKS_ALLOW_PRIVATE === "1",
  };
  let started = false;
  return {
    queue,
    allowPrivate: delivery.allowPrivate,
    async fanOut(tx, eventIds) {
      const ids = await insertEventDeliveries(tx, eventIds);
      await queue.add(tx, ids, 0);
      return ids.length;
    },
    async start() {
      if (started || options.worker === false) return;
      started = true;
      await queue.start((id) => attemptDelivery(delivery, id));
    },
    attempt: (id) => attemptDelivery(delivery, id),
    close: () => queue.close(),
  };
}
