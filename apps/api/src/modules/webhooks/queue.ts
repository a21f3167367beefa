import type { Database, Queryable } from "@apf/db";
import { dueDeliveries } from "@apf/db/queries/webhooks";
import { sql } from "drizzle-orm";
import { Logger as GraphileLogger, type Runner, run, runMigrations } from "graphile-worker";
import pg from "pg";
import type { Logger } from "pino";

/** graphile-worker's task name of one delivery attempt. */
export const DELIVERY_TASK = "apf_webhook_delivery";

/**
 * Where delivery attempts wait for a worker: graphile-worker on Postgres (any instance takes a
 * task), or, on the embedded database, a loop in this process over the deliveries table. One
 * attempt handler (deliver.ts) serves both. A task held by a worker that died is replaced by
 * `requeueStalled` (run by every instance, index.ts) from the deliveries table, the truth.
 */
export interface DeliveryQueue {
  readonly kind: "graphile-worker" | "in-process";
  /** Creates what the queue needs in the database (graphile-worker's schema). */
  prepare(): Promise<void>;
  /** An attempt of each delivery in `delaySeconds`, added in `tx` (so it exists exactly when tx commits). */
  add(tx: Queryable, deliveryIds: readonly string[], delaySeconds: number): Promise<void>;
  /** Runs attempts with `handler` from now on. */
  start(handler: (deliveryId: string) => Promise<void>): Promise<void>;
  /**
   * Gives a new task now to each pending delivery overdue by more than `overdueS` whose task is
   * missing, spent, or locked for longer than `overdueS` (its worker died); how many.
   */
  requeueStalled(db: Database, overdueS: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Attempts run at once per instance. An attempt mostly waits on its receiver (up to 15 s), so
 * there are many: endpoints that hang hold up the others only once they fill every slot.
 */
const CONCURRENCY = 32;
/** Tasks taken from Postgres at a time (each completes in a batch too). */
const BATCH = 16;

/**
 * graphile-worker's advice at start-up for jobs bound by the database (a pool and a batch as large
 * as the concurrency). Our attempts wait on receivers, not on Postgres: the small pool and batch
 * are chosen (above), so an operator is not told on every start to change them.
 */
const SIZING_ADVICE =
  /maxPoolSize \(\d+\) smaller than concurrency|job batch size \(\d+\) is smaller than your concurrency/;

/** graphile-worker's log lines in the service's log: its errors and warnings as such, the rest as debug. */
export function graphileLogger(logger: Logger) {
  return new GraphileLogger(() => (level, message) => {
    if (level === "error") logger.error(message);
    else if (level === "warning" && !SIZING_ADVICE.test(message)) logger.warn(message);
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
  // The queue's own small pool, ours to end: graphile-worker ends a pool it made without waiting,
  // after taking its error handlers off, so a connection closed by the server meanwhile (a
  // database dropped, a failover) was an unhandled error.
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on("error", (error) => logger.warn({ err: error }, "webhook queue: idle connection lost"));
  // A connection in use that the server closes errs on its next query; this keeps the event
  // itself from being an unhandled error.
  pool.on("connect", (client) =>
    client.on("error", (error) => logger.warn({ err: error }, "webhook queue: connection lost")),
  );
  const add: DeliveryQueue["add"] = async (tx, deliveryIds, delaySeconds) => {
    if (deliveryIds.length === 0) return;
    // job_key: one task per delivery, whatever adds it again. add_jobs takes them all in one
    // set-based statement (add_job per row notified once per row: thousands of rows outlasted
    // the query timeout).
    await tx.execute(sql`
      select count(*) from graphile_worker.add_jobs(array(
        select row(${DELIVERY_TASK}, json_build_object('delivery_id', d), null,
          now() + make_interval(secs => ${delaySeconds}), 5, d::text, null, null
        )::graphile_worker.job_spec
        from unnest(${`{${deliveryIds.join(",")}}`}::uuid[]) as d))`);
  };

  return {
    kind: "graphile-worker",
    async prepare() {
      await runMigrations({ pgPool: pool, logger: gLogger });
    },
    add,
    async requeueStalled(db, overdueS) {
      return db.transaction(async (tx) => {
        // graphile-worker gives a dead worker's task back only after a fixed 4 hours. A live
        // worker holds a task for one attempt (15 s at most) plus its wait in the local queue.
        const result = await tx.execute(sql`
          select d.id from webhook_deliveries d
          left join graphile_worker.jobs j on j.key = d.id::text
          where d.status = 'pending'
            and d.next_attempt_at < now() - make_interval(secs => ${overdueS})
            and (j.id is null or j.attempts >= j.max_attempts
              or j.locked_at < now() - make_interval(secs => ${overdueS}))
          order by d.next_attempt_at
          limit 500
          for update of d skip locked`);
        const ids = (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
        // A locked task's key is taken over by the new task (add_job's job_key rule).
        await add(tx, ids, 0);
        return ids.length;
      });
    },
    async start(handler) {
      runner = await run({
        // Tasks are fetched and completed in batches: a few connections serve every slot (the
        // attempts' own statements use the service's pool).
        pgPool: pool,
        concurrency: CONCURRENCY,
        noHandleSignals: true,
        pollInterval: options.pollIntervalMs ?? 1000,
        // Tasks fetched (and locked) a batch at a time, completions written a batch at a time:
        // fewer round trips per delivery when many are due (docs/architecture.md, webhooks).
        preset: { worker: { localQueue: { size: BATCH }, completeJobBatchDelay: 0 } },
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
      if (!pool.ended) await pool.end();
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
    // The poll reads due deliveries from the table itself: nothing is held by a dead process.
    requeueStalled: async () => 0,
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
