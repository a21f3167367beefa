import type { ActorType } from "@apf/db";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import type { Actor } from "../modules/audit/audit.ts";
import { requestHeader } from "./request-headers.ts";

const USER_AGENT_MAX = 512;

/** The request's User-Agent, cut to what the audit log and sessions store. */
export function userAgentOf(c: Context): string | null {
  return requestHeader(c, "user-agent")?.slice(0, USER_AGENT_MAX) ?? null;
}

/**
 * The actor of this request: who (`kind`, `id`), in which organization, and from where (the
 * client address and User-Agent). The auth middlewares set it as `c.var.actor`; the open routes
 * (sign-up, sign-in) make theirs with it.
 */
export function requestActor<E extends AppEnv>(
  c: Context<E>,
  kind: ActorType,
  id: string | null,
  organizationId: string | null = null,
): Actor {
  return {
    organizationId,
    kind,
    id,
    address: c.get("clientIp") ?? null,
    userAgent: userAgentOf(c),
  };
}
