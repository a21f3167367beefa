import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";

/**
 * Sets a header of the answer to come. Served by Node, it goes straight onto the ServerResponse,
 * where writeHead merges it with the Response's own headers (a header the handler set wins);
 * that keeps the answer a plain cached body for @hono/node-server instead of a web Response with
 * undici Headers, which cost more per request than the rest of a cached /public/v1 read.
 * Without a socket (app.request() in tests) it is c.header(), with the same precedence.
 * Call it before the handler answers: once headers are sent, they cannot change.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing && "setHeader" in outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/**
 * What hono/secure-headers sets by default (Cross-Origin-Resource-Policy left out: the public API
 * and its OpenAPI document are read cross-origin). A handler's own value of one of them wins.
 */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

/** The security headers on every answer. */
export const securityHeaders = createMiddleware(async (c, next) => {
  for (const [name, value] of SECURITY_HEADERS) setResponseHeader(c, name, value);
  await next();
});
