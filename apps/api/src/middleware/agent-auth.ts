import { findAgentByTokenHash } from "@apf/db/queries/agent-auth";
import { createMiddleware } from "hono/factory";
import type { AgentEnv, AgentPrincipal } from "../context.ts";
import { requestActor } from "./actor.ts";
import { verifyBearerToken } from "./bearer-credential.ts";

/**
 * Authenticates an agent with the same checks, order and codes as the public API's keys:
 * UNAUTHORIZED → TOKEN_INVALID (malformed: before any I/O; or unknown) → TOKEN_REVOKED, with
 * failures counted per client address. Sets c.var.agent and the agent as c.var.actor.
 */
export const agentAuth = createMiddleware<AgentEnv>(async (c, next) => {
  const { db } = c.get("services");
  const principal = await verifyBearerToken<AgentPrincipal, AgentEnv>(c, {
    kind: "agent",
    noun: "agent token",
    async verify(hash) {
      const agent = await findAgentByTokenHash(db, hash);
      if (!agent) return { ok: false, code: "TOKEN_INVALID", message: "No agent has this token." };
      if (agent.revokedAt) {
        return {
          ok: false,
          code: "TOKEN_REVOKED",
          message:
            "This agent token was revoked; create a new agent in the dashboard and update the agent's token file.",
        };
      }
      return { ok: true, principal: { agentId: agent.id, organizationId: agent.organizationId } };
    },
  });
  c.set("agent", principal);
  c.set("actor", {
    ...requestActor(c, "agent", principal.agentId),
    organizationId: principal.organizationId,
  });
  await next();
});
