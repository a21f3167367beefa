import type { Database, DatabaseKind, Queryable } from "@apf/db";
import { takeSweepTurn } from "@apf/db/queries/sweep-turns";
import { insertEventDeliveries } from "@apf/db/queries/webhooks";
import type { Logger } from "pino";
import type { Env } from "../../env.ts";
import { SWEEP_TURN_SHARE } from "../../platform/sweep-turn.ts";
import { attemptDelivery, createAttemptBatches, type DeliveryDeps } from "./deliver.ts";
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
  /** Gives stalled deliveries (their task's worker died) a new task now; how many. */
  requeueStalled(): Promise<number>;
  close(): Promise<void>;
}

export interface WebhookOptions {
  /** How often graphile-worker looks for tasks due later (retries); default 1 s. */
  pollIntervalMs?: number;
  /**
   * A pending delivery overdue by this long whose task is missing, spent or locked this long is
   * given a new task (default 60 s: four times an attempt's 15 s timeout). graphile-worker gives
   * a dead worker's task back only after 4 hours.
   */
  stalledAfterS?: number;
  /** How often this instance looks for stalled deliveries (default 15 s). */
  stalledSweepMs?: number;
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
    batches: createAttemptBatches(deps.db),
    logger: deps.logger,
    queue,
    retry: retryPolicyOf(deps.config),
    allowPrivate: deps.config.APF_WEBHOOKS_ALLOW_PRIVATE === "1",
  };
  let started = false;
  let sweep: NodeJS.Timeout | undefined;
  const requeueStalled = () => queue.requeueStalled(deps.db, options.stalledAfterS ?? 60);
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
      const stalledSweepMs = options.stalledSweepMs ?? 15_000;
      sweep = setInterval(() => {
        // Once a period across instances (the first timer to fire takes the turn).
        takeSweepTurn(deps.db, "stalled-deliveries", stalledSweepMs * SWEEP_TURN_SHARE)
          .then((mine) => (mine ? requeueStalled() : 0))
          .catch((error: unknown) => {
            deps.logger.warn({ err: error }, "requeueing stalled webhook deliveries failed");
          });
      }, stalledSweepMs);
      sweep.unref();
    },
    attempt: (id) => attemptDelivery(delivery, id),
    requeueStalled,
    close: async () => {
      clearInterval(sweep);
      await queue.close();
    },
  };
}
