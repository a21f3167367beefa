import type { Database } from "@apf/db";
import { type ApiKeyForAuth, touchApiKeyLastUsed } from "@apf/db/queries/api-key-auth";
import type { Logger } from "pino";
import type { KeyCache } from "./key-cache.ts";

/** last_used_at is kept to the minute: one write per key per interval, at most. */
export const LAST_USED_INTERVAL_MS = 60_000;

/**
 * The API keys' last_used_at writes of one instance, made off the request path: never awaited
 * by a response, errors logged, and at most one in flight per key, so a burst of requests writes
 * once. `flush()` waits for the writes under way; services.close() calls it before the database
 * pool ends, so a use answered just before shutdown is still recorded.
 */
export interface KeyTouches {
  /** Records that the key (found under `hash`) was used at `now`, unless it was recently. */
  note(hash: string, row: ApiKeyForAuth, now: Date): void;
  /** Resolves once every write started so far has ended (written or logged). */
  flush(): Promise<void>;
  /** How many writes are under way. */
  readonly inFlight: number;
}

export function createKeyTouches(db: Database, logger: Logger, keyCache: KeyCache): KeyTouches {
  const pending = new Map<string, Promise<void>>();
  return {
    get inFlight() {
      return pending.size;
    },
    note(hash, row, now) {
      const notBefore = new Date(now.getTime() - LAST_USED_INTERVAL_MS);
      if (row.lastUsedAt && row.lastUsedAt >= notBefore) return;
      // The cached copy shows this use from now on (and is not written again for a minute).
      keyCache.noteUsed(hash, now);
      if (pending.has(row.id)) return;
      // The update's own condition keeps concurrent instances to one write per interval.
      const write = Promise.resolve()
        .then(() => touchApiKeyLastUsed(db, row.organizationId, row.id, now, notBefore))
        .then(
          () => undefined,
          (error: unknown) =>
            logger.warn({ err: error, key_id: row.id }, "could not record last_used_at"),
        )
        .finally(() => pending.delete(row.id));
      pending.set(row.id, write);
    },
    async flush() {
      while (pending.size > 0) await Promise.all(pending.values());
    },
  };
}
