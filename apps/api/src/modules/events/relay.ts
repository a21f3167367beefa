import type { Database } from "@apf/db";
import {
  hasPendingEvents,
  lockEventRelay,
  notifyAtCommit,
  numberPendingEvents,
} from "@apf/db/queries/events";
import type { Logger } from "pino";
import { coalescedRun } from "../../platform/coalesced-run.ts";
import { ORG_CHANGES_CHANNEL } from "../../platform/org-changes.ts";
import type { Webhooks } from "../webhooks/index.ts";

/** The doorbell payload prefix of "an organization's events were numbered up to here". */
export const EVENT_LOG_TABLE = "event_log";
/** Events numbered per transaction of the relay. */
const BATCH = 1000;

export interface Relay {
  /** Number whatever is committed and unnumbered, soon (coalesced). */
  wake(): void;
  /** Number everything committed now; resolves when done. */
  runOnce(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Numbers committed events after their commit. Every instance runs one; a pass holds a
 * transaction-level advisory lock, so one pass runs at a time across instances: numbers are
 * handed out in commit order, and a numbered prefix 1…n is all a reader ever sees (no event
 * numbered n can commit after n+1 was read). Each pass rings the doorbell
 * "event_log:<organization>" at its commit, which wakes every instance's streams. Woken by the
 * doorbell of inserted events ("events:<organization>", see the events_notify_insert trigger) and
 * by a poll every `pollMs` as the backstop. The same transaction creates the events' webhook
 * deliveries with their first tasks.
 */
export function createRelay(
  deps: { db: Database; logger: Logger; webhooks: Pick<Webhooks, "fanOut"> },
  options: { pollMs?: number } = {},
): Relay {
  let closed = false;

  async function pass(): Promise<void> {
    for (;;) {
      const numbered = await deps.db.transaction(async (tx) => {
        await lockEventRelay(tx);
        const numbered = await numberPendingEvents(tx, BATCH);
        // Webhook deliveries (and their tasks) commit with the numbers: each event once.
        await deps.webhooks.fanOut(
          tx,
          numbered.map((e) => e.id),
        );
        const orgs = new Set(numbered.map((e) => e.organizationId));
        await notifyAtCommit(
          tx,
          ORG_CHANGES_CHANNEL,
          [...orgs].map((org) => `${EVENT_LOG_TABLE}:${org}`),
        );
        return numbered;
      });
      if (numbered.length === 0) return;
    }
  }

  const run = coalescedRun(pass, (error) => {
    deps.logger.warn(
      { err: error },
      "numbering events failed; the relay tries again within a second",
    );
  });
  function wake() {
    if (!closed) void run.request();
  }

  const timer = setInterval(() => {
    if (run.busy || closed) return;
    hasPendingEvents(deps.db)
      .then((pending) => {
        if (pending) wake();
      })
      .catch(() => {});
  }, options.pollMs ?? 1000);
  timer.unref();

  return {
    wake,
    runOnce: () => run.request(),
    async close() {
      closed = true;
      clearInterval(timer);
      await run.close();
    },
  };
}
