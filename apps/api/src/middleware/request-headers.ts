import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";

/**
 * A request header (`name` in lowercase), as c.req.header() reads it: repeated values joined with
 * ", ". Served by Node it is read from Node's own parsed headers, so a request that reads only a
 * few headers never builds the web Request's undici Headers (a measurable share of a cached
 * read); without a socket (app.request() in tests) it is c.req.header().
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!incoming || !("headersDistinct" in incoming)) return c.req.header(name);
  return incoming.headersDistinct[name]?.join(", ");
}
