import type { Database } from "@apf/db";
import {
  type ApiKeyForAuth,
  findApiKeyForAuth,
  findApiKeyHashes,
} from "@apf/db/queries/api-key-auth";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Services } from "../../context.ts";

/**
 * Verified API keys kept in process, keyed by the key's SHA-256.
 *
 * The contract: a cached key is served only after Redis confirmed, on this very request, that
 * its version (`apf:keyver:<hash>`) is the one read before the key was loaded from Postgres.
 * Anything that changes what a key's lookup returns (revoke, expiry, roll, its organization's
 * name or CORS origins) commits in Postgres and then calls `invalidateApiKeys` /
 * `invalidateOrganizationKeys`, which bump those versions before the caller answers. So the
 * next request on any instance sees a new version and reloads from Postgres: no window.
 *
 * While Redis is not ready the cache is bypassed (one Postgres lookup per request), and it is
 * emptied whenever the connection drops, since bumps may be missed meanwhile. Revoked and unknown
 * keys are cached too (a revoke is final; an unknown hash is a random string nobody minted),
 * so floods of bad keys cost no database reads.
 */
export interface KeyCache {
  lookup(hash: string): Promise<ApiKeyForAuth | undefined>;
  /**
   * The cached live row of a key, not confirmed: only for starting work that a stale row cannot
   * make wrong (lookup() decides what the request is allowed).
   */
  peek(hash: string): ApiKeyForAuth | undefined;
  /** Records a last_used_at written (or seen) for the cached key, so /me shows it. */
  noteUsed(hash: string, at: Date): void;
  readonly stats: { hits: number; misses: number; bypassed: number; entries(): number };
  /** Stops following the Redis connection and forgets every key. */
  close(): void;
}

const VERSION_PREFIX = "apf:keyver:";
/** Longest an entry lives even when nothing changed: a backstop, not the mechanism. */
const MAX_AGE_MS = 5 * 60_000;
const MAX_KEYS = 100_000;
const MAX_UNKNOWN = 10_000;

interface Entry {
  row: ApiKeyForAuth | undefined;
  version: string | null;
  loadedAt: number;
}

function usable(redis: Redis | null): redis is Redis {
  return redis !== null && redis.status === "ready";
}

export function createKeyCache(db: Database, redis: Redis | null): KeyCache {
  // Bounded, least recently used first out: live keys, and apart from them the unknown and
  // revoked hashes a flood of bad keys brings, so such a flood cannot push live keys out.
  const known = new LRUCache<string, Entry>({ max: MAX_KEYS });
  const unknown = new LRUCache<string, Entry>({ max: MAX_UNKNOWN });
  const stats = { hits: 0, misses: 0, bypassed: 0, entries: () => known.size + unknown.size };
  const clear = () => {
    known.clear();
    unknown.clear();
  };
  redis?.on("close", clear);
  redis?.on("end", clear);

  async function version(r: Redis, hash: string): Promise<string | null> {
    return r.get(VERSION_PREFIX + hash);
  }

  return {
    stats,
    async lookup(hash) {
      if (!usable(redis)) {
        stats.bypassed++;
        return findApiKeyForAuth(db, hash);
      }
      const now = Date.now();
      const entry = known.get(hash) ?? unknown.get(hash);
      let current: string | null;
      try {
        if (entry && now - entry.loadedAt < MAX_AGE_MS) {
          // A revoke is final and an unknown hash stays unknown: nothing to confirm.
          if (!entry.row || entry.row.revokedAt) {
            stats.hits++;
            return entry.row;
          }
          current = await version(redis, hash);
          if (current === entry.version) {
            stats.hits++;
            return entry.row;
          }
        } else {
          current = await version(redis, hash);
        }
      } catch {
        clear();
        stats.bypassed++;
        return findApiKeyForAuth(db, hash);
      }
      // The version was read before the row: a change committed after this read bumps it again.
      stats.misses++;
      const row = await findApiKeyForAuth(db, hash);
      const fresh = { row, version: current, loadedAt: now };
      if (row) {
        unknown.delete(hash);
        known.set(hash, fresh);
      } else unknown.set(hash, fresh);
      return row;
    },
    peek(hash) {
      const row = known.peek(hash)?.row;
      return row && !row.revokedAt ? row : undefined;
    },
    noteUsed(hash, at) {
      const row = known.peek(hash)?.row;
      if (row && (!row.lastUsedAt || row.lastUsedAt < at)) row.lastUsedAt = at;
    },
    close() {
      redis?.off("close", clear);
      redis?.off("end", clear);
      clear();
    },
  };
}

async function bump(services: Pick<Services, "redis" | "logger">, hashes: string[]) {
  const { redis, logger } = services;
  if (!redis || hashes.length === 0) return;
  try {
    const pipeline = redis.multi();
    for (const hash of hashes) pipeline.incr(VERSION_PREFIX + hash);
    await pipeline.exec();
  } catch (error) {
    // Every instance whose Redis connection is down reads Postgres on each request, and empties
    // its cache when the connection drops; an instance that still reaches Redis while this one
    // cannot keeps its entry for at most MAX_AGE_MS. That is logged loudly.
    logger.error(
      { err: error, keys: hashes.length },
      "could not bump API key versions on redis; cached copies elsewhere expire within 5 minutes",
    );
  }
}

/**
 * Call after a change to these keys committed (revoke, expiry, roll): every instance reloads
 * them from Postgres on its next request. Resolves once Redis has the new versions.
 */
export async function invalidateApiKeys(
  services: Pick<Services, "db" | "redis" | "logger">,
  organizationId: string,
  keyIds: string[],
): Promise<void> {
  if (!services.redis || keyIds.length === 0) return;
  await bump(services, await findApiKeyHashes(services.db, organizationId, keyIds));
}

/** Call after the organization's name or CORS origins changed: its keys carry both. */
export async function invalidateOrganizationKeys(
  services: Pick<Services, "db" | "redis" | "logger">,
  organizationId: string,
): Promise<void> {
  if (!services.redis) return;
  await bump(services, await findApiKeyHashes(services.db, organizationId));
}
