import { describe, expect, it } from "vitest";
import {
  isSessionExpired,
  mintSessionToken,
  parseToken,
  SESSION_IDLE_TTL_MS,
  SESSION_REFRESH_INTERVAL_MS,
  sessionExpiry,
  shouldRefreshSession,
} from "../src/index.ts";

const now = new Date("2025-03-01T12:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

describe("sessions", () => {
  it("mints apf_sess_ tokens that parse as sessions only", () => {
    const { token, hash } = mintSessionToken();
    expect(token.startsWith("apf_sess_")).toBe(true);
    expect(parseToken(token, "sess")).toEqual({ ok: true, token, hash });
    expect(parseToken(token, "live").ok).toBe(false);
  });

  it("expires 7 days after use", () => {
    expect(SESSION_IDLE_TTL_MS).toBe(7 * 24 * 3600 * 1000);
    expect(sessionExpiry(now).toISOString()).toBe("2025-03-08T12:00:00.000Z");
  });

  it("never expires later than 30 days after sign-in", () => {
    const day = 24 * 3600 * 1000;
    expect(sessionExpiry(later(20 * day), now).toISOString()).toBe("2025-03-28T12:00:00.000Z");
    expect(sessionExpiry(later(25 * day), now).toISOString()).toBe("2025-03-31T12:00:00.000Z");
  });

  it("refreshes at most once an hour", () => {
    expect(SESSION_REFRESH_INTERVAL_MS).toBe(3600 * 1000);
    expect(shouldRefreshSession(now, now)).toBe(false);
    expect(shouldRefreshSession(now, later(59 * 60 * 1000))).toBe(false);
    expect(shouldRefreshSession(now, later(60 * 60 * 1000))).toBe(true);
    expect(shouldRefreshSession(now, later(3 * 24 * 3600 * 1000))).toBe(true);
  });

  it("does not refresh when last seen is in the future (clock skew)", () => {
    expect(shouldRefreshSession(later(10 * 60 * 1000), now)).toBe(false);
  });

  it("is expired from its expiry instant on", () => {
    const expiresAt = sessionExpiry(now);
    expect(isSessionExpired(expiresAt, later(SESSION_IDLE_TTL_MS - 1))).toBe(false);
    expect(isSessionExpired(expiresAt, later(SESSION_IDLE_TTL_MS))).toBe(true);
  });
});
