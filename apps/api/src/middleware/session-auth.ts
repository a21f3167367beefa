import {
  isSessionExpired,
  parseToken,
  SESSION_ABSOLUTE_TTL_MS,
  sessionExpiry,
  shouldRefreshSession,
} from "@apf/auth";
import { findSessionByTokenHash, touchSession } from "@apf/db/queries/sessions";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv, SessionEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { requestActor } from "./actor.ts";
import { parseBearer } from "./bearer-credential.ts";

/** Name of the dashboard's session cookie. */
export const SESSION_COOKIE = "apf_session";

const COOKIE_OPTIONS = {
  httpOnly: true,
  secure: true,
  sameSite: "Lax",
  path: "/",
} as const;

/**
 * Sets the session cookie: HttpOnly (no script reads it), Secure, SameSite=Lax, whole site. It
 * lives as long as the session would at `now` if it were not used again (`sessionExpiry`: 7 days
 * idle, never past 30 days after sign-in), so the browser forgets it when the session ends.
 */
export function setSessionCookie(
  c: Context,
  token: string,
  session: { createdAt: Date; now: Date },
): void {
  const expiresAt = sessionExpiry(session.now, session.createdAt);
  setCookie(c, SESSION_COOKIE, token, {
    ...COOKIE_OPTIONS,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - session.now.getTime()) / 1000)),
  });
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, COOKIE_OPTIONS);
}

const HOW = "Send the session as 'Authorization: Bearer apf_sess_…' or the apf_session cookie.";

/** The presented credential: the Authorization header wins over the cookie. */
function credential<E extends AppEnv>(c: Context<E>): { token: string; viaCookie: boolean } {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const token = parseBearer(header);
    if (!token) throw new ApiError("UNAUTHORIZED", HOW);
    return { token, viaCookie: false };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) return { token: cookie, viaCookie: true };
  throw new ApiError("UNAUTHORIZED", `Sign in first. ${HOW}`);
}

/**
 * Authenticates a dashboard session and sets c.get("session") and the member as c.get("actor"). The token is checked offline
 * (prefix, length, alphabet, checksum) before any database call. Answers, all 401:
 * UNAUTHORIZED (no credential, or not a Bearer one), TOKEN_INVALID (malformed, or no such
 * session), TOKEN_REVOKED (signed out), TOKEN_EXPIRED (7 days idle, or 30 days after sign-in).
 * A used session's expiry slides forward, written at most once per refresh interval.
 */
export const sessionAuth = createMiddleware<SessionEnv>(async (c, next) => {
  const { token, viaCookie } = credential(c);
  const parsed = parseToken(token, "sess");
  if (!parsed.ok) {
    throw new ApiError(
      "TOKEN_INVALID",
      "The session token is malformed (apf_sess_ followed by 64 hex characters).",
    );
  }
  const { db, clock } = c.get("services");
  const session = await findSessionByTokenHash(db, parsed.hash);
  if (!session) throw new ApiError("TOKEN_INVALID", "No such session; sign in again.");
  if (session.revokedAt) throw new ApiError("TOKEN_REVOKED", "This session was signed out.");
  const now = clock.now();
  // The stored expiry already holds both limits; the absolute one is checked again so that a
  // session written before it existed cannot outlive it.
  if (
    isSessionExpired(session.expiresAt, now) ||
    isSessionExpired(new Date(session.createdAt.getTime() + SESSION_ABSOLUTE_TTL_MS), now)
  ) {
    throw new ApiError("TOKEN_EXPIRED", "This session expired; sign in again.");
  }
  if (shouldRefreshSession(session.lastSeenAt, now)) {
    await touchSession(db, session.id, now, sessionExpiry(now, session.createdAt));
    // The cookie's Max-Age slides with the session, or the browser would drop a live session.
    if (viaCookie) setSessionCookie(c, token, { createdAt: session.createdAt, now });
  }
  c.set("session", {
    sessionId: session.id,
    userId: session.userId,
    email: session.email,
    viaCookie,
  });
  // The member acts in no organization until a route under /orgs/{orgId} says which.
  c.set("actor", requestActor(c, "user", session.userId));
  await next();
});
