import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, SessionEnv, SessionPrincipal } from "../context.ts";
import { ApiError } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function requestOrigin(c: Context): string {
  return new URL(c.req.url).origin;
}

/** The browser says so: Sec-Fetch-Site is same-origin, or Origin is exactly ours. */
function provenSameOrigin(c: Context): boolean {
  if (c.req.header("sec-fetch-site") === "same-origin") return true;
  return c.req.header("origin") === requestOrigin(c);
}

/** The browser says the request comes from another site or origin. */
function saysCrossOrigin(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return true;
  const origin = c.req.header("origin");
  return origin !== undefined && origin !== requestOrigin(c);
}

/**
 * CSRF protection for cookie sessions; runs after session-auth. A write (any method but GET,
 * HEAD, OPTIONS) authenticated by the cookie must prove it comes from our own origin, through
 * Sec-Fetch-Site: same-origin or an Origin header equal to ours; a request that proves nothing is
 * refused too. Bearer requests are exempt: no browser attaches an Authorization header to a
 * cross-site request on its own.
 */
export const sameOriginCookieWrites = createMiddleware<SessionEnv>(async (c, next) => {
  const session = c.get("session") as SessionPrincipal | undefined;
  if (session?.viaCookie && !SAFE_METHODS.has(c.req.method) && !provenSameOrigin(c)) {
    throw new ApiError(
      "FORBIDDEN",
      "Cookie-authenticated writes must come from the dashboard's own origin; scripts should send 'Authorization: Bearer apf_sess_…'.",
    );
  }
  await next();
});

/**
 * For sign-up and sign-in, which set the cookie: refuses what a browser marks as coming from
 * another origin (login CSRF would sign the victim into the attacker's account). Clients that
 * are not browsers send neither header and pass.
 */
export const refuseCrossOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method) && saysCrossOrigin(c)) {
    throw new ApiError(
      "FORBIDDEN",
      "Sign-in and sign-up are accepted from the dashboard's own origin only.",
    );
  }
  await next();
});
