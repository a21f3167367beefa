import { getConnInfo } from "@hono/node-server/conninfo";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { requestHeader } from "./request-headers.ts";

function fromSocket(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // app.request() in tests has no socket.
    return "unknown";
  }
}

/** Sets c.get("clientIp"): the socket peer, or the header TRUST_PROXY says a proxy in front sets. */
export const clientIp = createMiddleware<AppEnv>(async (c, next) => {
  const trust = c.get("services").config.TRUST_PROXY;
  let ip: string | undefined;
  if (trust === "x-forwarded-for") {
    // The right-most entry is the one our proxy appended; the left ones are client-controlled.
    ip = requestHeader(c, "x-forwarded-for")?.split(",").at(-1)?.trim();
  } else if (trust !== "none") {
    ip = requestHeader(c, trust)?.trim();
  }
  c.set("clientIp", ip || fromSocket(c));
  await next();
});
