import { type MintedToken, mintToken } from "./token.ts";

/** A session ends after this long without use (7 days). */
export const SESSION_IDLE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A session ends this long after it was opened (30 days), however much it is used. */
export const SESSION_ABSOLUTE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A used session has its expiry pushed forward at most this often (1 hour), so that a busy
 * dashboard does not cost one database write per request. The idle timeout a person actually
 * sees is therefore between `SESSION_IDLE_TTL_MS - SESSION_REFRESH_INTERVAL_MS` and
 * `SESSION_IDLE_TTL_MS`.
 */
export const SESSION_REFRESH_INTERVAL_MS = 60 * 60 * 1000;

/** Mint a dashboard session token (`apf_sess_…`). */
export function mintSessionToken(): MintedToken {
  return mintToken("sess");
}

/**
 * When a session opened at `createdAt` and used at `now` expires if it is not used again: 7 days
 * idle, but never later than 30 days after it was opened.
 */
export function sessionExpiry(now: Date, createdAt: Date = now): Date {
  return new Date(
    Math.min(now.getTime() + SESSION_IDLE_TTL_MS, createdAt.getTime() + SESSION_ABSOLUTE_TTL_MS),
  );
}

/**
 * Whether a session last refreshed at `lastSeen` should have its `last_seen`/expiry rewritten
 * at `now` (at least SESSION_REFRESH_INTERVAL_MS later). A `lastSeen` in the future (clock
 * skew between instances) does not trigger a write.
 */
export function shouldRefreshSession(lastSeen: Date, now: Date): boolean {
  return now.getTime() - lastSeen.getTime() >= SESSION_REFRESH_INTERVAL_MS;
}

/** Whether a session with expiry `expiresAt` has expired at `now`. */
export function isSessionExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}
