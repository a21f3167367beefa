import { mintToken } from "@apf/auth";
import { insertAgent } from "@apf/db/queries/agents";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import {
  dataResponse,
  errors,
  iso,
  jsonBody,
  ok,
  SESSION_SECURITY,
  text,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/agents",
  operationId: "dashboardCreateAgent",
  tags: TAGS,
  summary: "Register an on-premise agent and mint its token (owner, admin)",
  description: "The response is the only place the agent token ever appears.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParams, body: jsonBody(z.object({ name: text(100) }).strict()) },
  responses: {
    201: dataResponse(
      z.object({
        id: z.uuid(),
        name: z.string(),
        token: z.string().openapi({ description: "The full apf_agent_ token, shown this once." }),
        preview: z.string(),
        created_at: timestamp(),
      }),
      "The new agent, with its token this one time.",
    ),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { name } = c.req.valid("json");
  const { organizationId } = c.get("org");
  const minted = mintToken("agent");
  const agent = await c.get("services").db.transaction(async (tx) => {
    const row = await insertAgent(tx, {
      organizationId,
      name,
      tokenHash: minted.hash,
      preview: minted.preview,
      createdBy: c.get("session").userId,
    });
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "agent.created",
      target: { type: "agent", id: row.id },
      details: { name: row.name, preview: row.preview },
    });
    return row;
  });
  return json(
    c,
    ok({
      id: agent.id,
      name: agent.name,
      token: minted.token,
      preview: agent.preview,
      created_at: iso(agent.createdAt),
    }),
    201,
  );
};
