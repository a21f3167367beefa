import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { apiKeyDetails } from "./api-key-auth.ts";
import { requestHeader } from "./request-headers.ts";

/** Headers a browser script may read on an allowed cross-origin answer. */
const EXPOSED_HEADERS = [
  "X-Request-Id",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "Retry-After",
  "WWW-Authenticate",
].join(", ");

/**
 * CORS of /public/v1. A preflight carries no credentials, so it cannot be tied to a key and is
 * answered permissively; the real answer is readable cross-origin only when the key's
 * organization lists the request's Origin (or `*`) in allowed_origins. A 401 (no key, or one that
 * does not authenticate, so no organization to ask) is readable from any origin, its
 * WWW-Authenticate challenge included: it carries nothing of an organization, and without it a
 * browser script sees only a network error where the answer says what to fix. Credentials mode
 * is never allowed: the API reads no cookies, only the Authorization header.
 */
export const publicCors = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "OPTIONS") {
    return c.body(null, 204, {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key, X-Request-Id",
      "Access-Control-Max-Age": "600",
    });
  }
  await next();
  if (c.res.status === 401) {
    c.res.headers.set("Access-Control-Allow-Origin", "*");
    c.res.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    return;
  }
  const origin = requestHeader(c, "origin");
  if (!origin) return;
  const allowed = apiKeyDetails(c)?.organization.allowedOrigins ?? [];
  if (!allowed.includes("*") && !allowed.includes(origin)) return;
  c.res.headers.set("Access-Control-Allow-Origin", origin);
  c.res.headers.append("Vary", "Origin");
  c.res.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
});
