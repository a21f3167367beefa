import { randomUUID } from "node:crypto";
import type { ChannelHandlers, ChannelSubscription, Database } from "@apf/db";
import { sql } from "drizzle-orm";
import type { Logger } from "pino";

/** The NOTIFY channel of migrations/0006: payload "<table>:<organization id>". */
export const ORG_CHANGES_CHANNEL = "apf_org_changes";
/**
 * Tables whose changes are announced (a cached answer names the ones it is built from);
 * `event_log`, rung by the event relay when it numbered an organization's events; and
 * `job_stats`, rung when an organization's time zone changed and its analytics rollups wait for
 * the background regrouping (modules/analytics/regroup.ts).
 */
export type WatchedTable = "printers" | "jobs" | "skus" | "events" | "event_log" | "job_stats";

/**
 * Longest a cached answer is served on the word of notifications alone; then Postgres confirms
 * or rebuilds it. Bounds what a silently dead LISTEN connection (no error, no notifications) or a
 * pooler that drops notifications could cost.
 */
export const REVALIDATE_MS = 1000;

const SYNC_PREFIX = "sync:";
/** Organizations × tables counted at once; past it a new epoch starts (every cached list rebuilt). */
const MAX_COUNTED = 100_000;
/** Longest a write's answer waits for its own notification before answering anyway. */
const SYNC_TIMEOUT_MS = 1000;

/**
 * Which organizations' printers, jobs and SKUs changed, as Postgres announces at every commit
 * (triggers on those tables NOTIFY, whatever wrote). Caches of serialised answers key their
 * entries by `token()`: a notification for the organization changes the token, and so does any
 * moment notifications may have been missed (the LISTEN connection dropped), which also makes
 * `token()` null until LISTEN is back, and callers then read Postgres.
 */
export interface OrgChanges {
  /** Changes whenever one of these tables of the organization changed; null while not listening. */
  token(organizationId: string, tables: readonly WatchedTable[]): string | null;
  /**
   * Announces changes a transaction committed with their notifications deferred
   * (`deferOrgChanges`): "<table>:<organization id>" payloads. Announcements and sync markers
   * queued while one NOTIFY statement is on its way go together in the next, each payload once:
   * concurrent writers of one organization cost one notifying commit, not one each.
   */
  announce(payloads: readonly string[]): void;
  /**
   * Resolves once every change committed (or announced) before the call has been received here,
   * so a write's answer is followed by reads on this instance that see it (at most
   * SYNC_TIMEOUT_MS).
   */
  sync(): Promise<void>;
  readonly listening: boolean;
  /**
   * Calls `listener` with the table and organization of every change announced from now on
   * (a doorbell: the rows stay the truth). Returns the unsubscribe.
   */
  onChange(listener: (table: WatchedTable, organizationId: string) => void): () => void;
  readonly stats: { notifications: number; reconnects: number };
  close(): Promise<void>;
}

export function createOrgChanges(
  db: Database,
  subscribe: (handlers: ChannelHandlers) => ChannelSubscription,
  logger: Logger,
): OrgChanges {
  const counts = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const listeners = new Set<(table: WatchedTable, organizationId: string) => void>();
  const stats = { notifications: 0, reconnects: 0 };
  let epoch = 0;
  let listening = false;
  let everListened = false;
  // Payloads waiting for the next NOTIFY statement, in order; at most one statement at a time.
  let queued: string[] = [];
  let sending: Promise<void> | null = null;
  // The sync marker queued for the next NOTIFY statement: every sync() until it is sent waits for
  // it (one notification for all of them), none that comes after (it might commit too early).
  let nextSync: Promise<void> | null = null;

  async function send(): Promise<void> {
    while (queued.length > 0) {
      const batch = [...new Set(queued)];
      queued = [];
      nextSync = null;
      try {
        // One statement, one commit; notifications are delivered in the order they were sent,
        // so a sync marker arrives after every announcement queued before it.
        await db.execute(
          sql`select pg_notify(${ORG_CHANGES_CHANNEL}, p) from json_array_elements_text(${JSON.stringify(batch)}::json) p`,
        );
      } catch (error) {
        logger.warn(
          { err: error },
          "announcing organization changes failed; other instances rebuild within a second",
        );
        for (const payload of batch) waiting.get(payload)?.();
      }
    }
    sending = null;
  }
  function enqueue(payloads: readonly string[]) {
    queued.push(...payloads);
    sending ??= send();
  }

  const subscription = subscribe({
    message(payload) {
      stats.notifications++;
      if (payload.startsWith(SYNC_PREFIX)) {
        waiting.get(payload)?.();
        return;
      }
      if (counts.size >= MAX_COUNTED && !counts.has(payload)) {
        epoch++;
        counts.clear();
      }
      counts.set(payload, (counts.get(payload) ?? 0) + 1);
      if (listeners.size > 0) {
        const colon = payload.indexOf(":");
        const table = payload.slice(0, colon) as WatchedTable;
        const organizationId = payload.slice(colon + 1);
        for (const listener of listeners) listener(table, organizationId);
      }
    },
    listening() {
      // Whatever was announced while not listening is unknown: start a new epoch.
      epoch++;
      counts.clear();
      listening = true;
      if (everListened) {
        stats.reconnects++;
        logger.info("listening for organization changes again; cached answers rebuilt");
      }
      everListened = true;
    },
    lost(error) {
      if (listening) {
        logger.warn(
          { err: error },
          "lost the LISTEN connection: cached printer and job lists are bypassed until it is back",
        );
      }
      listening = false;
      epoch++;
      for (const wake of waiting.values()) wake();
    },
  });

  return {
    stats,
    get listening() {
      return listening;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    token(organizationId, tables) {
      if (!listening) return null;
      let token = String(epoch);
      for (const table of tables) token += `:${counts.get(`${table}:${organizationId}`) ?? 0}`;
      return token;
    },
    announce(payloads) {
      if (payloads.length > 0) enqueue(payloads);
    },
    async sync() {
      if (!listening) return;
      if (nextSync) return nextSync;
      const nonce = `${SYNC_PREFIX}${randomUUID()}`;
      let timer: NodeJS.Timeout | undefined;
      // Notifications reach a listener in commit order: once this one is here, so is every
      // notification of a transaction that committed before it was sent.
      const arrived = new Promise<void>((resolve) => {
        waiting.set(nonce, resolve);
        timer = setTimeout(resolve, SYNC_TIMEOUT_MS);
      }).finally(() => {
        clearTimeout(timer);
        waiting.delete(nonce);
      });
      nextSync = arrived;
      enqueue([nonce]);
      return arrived;
    },
    async close() {
      await sending;
      listening = false;
      for (const wake of waiting.values()) wake();
      await subscription.close();
    },
  };
}
