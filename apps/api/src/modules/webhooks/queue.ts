import type { Database, Queryable } from "@apf/db";
import { dueDeliveries } from "@apf/db/queries/webhooks";
import { sql } from "drizzle-orm";
import { Logger as GraphileLogger, type Runner, run, runMigrations } from "graphile-worker";
import type { Logger } from "pino";

/** graphile-worker's task name of one delivery attempt. */
export const DELIVERY_TASK = "apf_webhook_delivery";

/**
 * Where delivery attempts wait for a worker: graphile-worker on Postgres (any instance takes a
 * task), or, on the embedded database, a loop in this process over the deliveries table. One
 * attempt handler (deliver.ts) serves both. A task held by a worker that died is replaced by the
 * stalled-delivery sweep (index.ts) from the deliveries table, which is the truth.
 */
export interface DeliveryQueue {
  readonly kind: "graphile-worker" | "in-process";
  /** Creates what the queue needs in the database (graphile-worker's schema). */
  prepare(): Promise<void>;
  /** An attempt of each delivery in `delaySeconds`, added in `tx` (so it exists exactly when tx commits). */
  add(tx: Queryable, deliveryIds: readonly string[], delaySeconds: number): Promise<void>;
  /** Runs attempts with `handler` from now on. */
  start(handler: (deliveryId: string) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Attempts run at once per instance. */
const CONCURRENCY = 8;

function graphileLogger(logger: Logger) {
  return new GraphileLogger(() => (level, message) => {
    if (level === "error") logger.error(message);
    else if (level === "warning") logger.warn(message);
    else logger.debug(message);
  });
}

/** graphile-worker 0.17 on the Postgres at `connectionString` (LISTEN-woken, so an added task starts at once). */
export function graphileDeliveryQueue(
  connectionString: string,
  logger: Logger,
  options: { pollIntervalMs?: number } = {},
): DeliveryQueue {
  let runner: Runner | null = null;
  const gLogger = graphileLogger(logger);
  return {
    kind: "graphile-worker",
    async prepare() {
      await runMigrations({ connectionString, logger: gLogger });
    },
    async add(tx, deliveryIds, delaySeconds) {
      if (deliveryIds.length === 0) return;
      // job_key: one task per delivery, whatever adds it again.
      await tx.execute(sql`
        select graphile_worker.add_job(${DELIVERY_TASK}, json_build_object('delivery_id', d),
          run_at => now() + make_interval(secs => ${delaySeconds}), max_attempts => 5,
          job_key => d::text)
        from unnest(${`{${deliveryIds.join(",")}}`}::uuid[]) as d`);
    },
    async start(handler) {
      runner = await run({
        connectionString,
        concurrency: CONCURRENCY,
        maxPoolSize: CONCURRENCY + 2,
        noHandleSignals: true,
        pollInterval: options.pollIntervalMs ?? 1000,
        // Tasks fetched (and locked) a batch at a time, completions written a batch at a time:
        // fewer round trips per delivery when many are due (docs/architecture.md, webhooks).
        preset: { worker: { localQueue: { size: CONCURRENCY }, completeJobBatchDelay: 0 } },
        logger: gLogger,
        taskList: {
          [DELIVERY_TASK]: async (payload) => {
            await handler((payload as { delivery_id: string }).delivery_id);
          },
        },
      });
    },
    async close() {
      await runner?.stop();
      runner = null;
    },
  };
}

/** The queue on embedded PGlite: this process polls the deliveries table (the only process there is). */
export function inProcessDeliveryQueue(
  db: Database,
  logger: Logger,
  options: { pollIntervalMs?: number } = {},
): DeliveryQueue {
  let handler: ((id: string) => Promise<void>) | null = null;
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let closed = false;

  async function poll() {
    if (!handler || closed || polling) return;
    polling = true;
    try {
      for (const { id } of await dueDeliveries(db, CONCURRENCY)) {
        if (running.has(id) || running.size >= CONCURRENCY) continue;
        const attempt = handler(id)
          .catch((error: unknown) => {
            logger.warn({ err: String(error), delivery_id: id }, "webhook attempt failed");
          })
          .finally(() => running.delete(id));
        running.set(id, attempt);
      }
    } catch (error) {
      logger.warn({ err: String(error) }, "reading due webhook deliveries failed");
    } finally {
      polling = false;
    }
  }

  return {
    kind: "in-process",
    async prepare() {},
    async add(_tx, deliveryIds, delaySeconds) {
      if (deliveryIds.length === 0) return;
      // After the caller's commit, roughly; the poll is the backstop.
      setTimeout(() => void poll(), delaySeconds * 1000 + 20).unref();
    },
    async start(h) {
      handler = h;
      timer = setInterval(() => void poll(), options.pollIntervalMs ?? 500);
      timer.unref();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}
