import type { Services } from "../context.ts";

/** Redis channel on which the id of every revoked API key is published. */
export const KEY_REVOKED_CHANNEL = "apf:key-revoked";

const PUBLISH_TIMEOUT_MS = 1000;

/**
 * Tells every API instance that `keyId` was revoked, so that any key they cached in process is
 * dropped. Call it after the revoke has committed. A no-op without Redis; never throws (Postgres
 * stays the source of truth, a lost message only delays the eviction of a cache entry).
 */
export async function announceKeyRevoked(
  services: Pick<Services, "redis" | "logger">,
  keyId: string,
): Promise<void> {
  const { redis, logger } = services;
  if (!redis) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.publish(KEY_REVOKED_CHANNEL, keyId),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("publish timed out")), PUBLISH_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    logger.warn(
      { key_id: keyId, err: error instanceof Error ? error.message : String(error) },
      "could not announce the key revocation on redis; instances will see it in postgres",
    );
  } finally {
    clearTimeout(timer);
  }
}
