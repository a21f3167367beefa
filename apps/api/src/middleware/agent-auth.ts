import { hashToken, parseToken } from "@apf/auth";
import { findAgentByTokenHash } from "@apf/db/queries/agent-auth";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";

// TODO(lead): switch to the shared bearer-credential helper once it lands.
function bearer(header: string | undefined): string {
  const match = header?.trim().match(/^bearer\s+(\S+)$/i);
  if (!match) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Send the agent token as 'Authorization: Bearer apf_agent_…'.",
    );
  }
  return match[1]!;
}

/**
 * Authenticates an agent: the same checks, order and codes as the public API's keys
 * (malformed → TOKEN_INVALID before any I/O; unknown → TOKEN_INVALID; revoked → TOKEN_REVOKED).
 */
export const agentAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  const parsed = parseToken(token, "agent");
  if (!parsed.ok) {
    throw new ApiError(
      "TOKEN_INVALID",
      "The agent token is malformed (apf_agent_ followed by 64 hex characters).",
    );
  }
  const agent = await findAgentByTokenHash(c.var.services.db, hashToken(token));
  if (!agent) throw new ApiError("TOKEN_INVALID", "No agent has this token.");
  if (agent.revokedAt) {
    throw new ApiError(
      "TOKEN_REVOKED",
      "This agent token was revoked; create a new agent in the dashboard.",
    );
  }
  c.set("agent", { agentId: agent.id, organizationId: agent.organizationId });
  await next();
});
