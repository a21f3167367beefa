import { listAgents } from "@apf/db/queries/agent-admin";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import {
  dataResponse,
  errors,
  iso,
  ok,
  SESSION_SECURITY,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/agents",
  operationId: "dashboardListAgents",
  tags: TAGS,
  summary: "The organization's agents, revoked ones included (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(
      z.array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          preview: z.string(),
          created_at: timestamp(),
          last_seen_at: timestamp().nullable(),
          revoked_at: timestamp().nullable(),
          revoked_reason: z
            .enum(["manual", "leaked"])
            .nullable()
            .openapi({ description: "`manual`, or `leaked` when secret scanning reported it." }),
          printer_count: z.number().int(),
        }),
      ),
      "Agents, newest first, without their tokens.",
    ),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const rows = await listAgents(c.get("services").db, c.get("org").organizationId);
  return json(
    c,
    ok(
      rows.map((a) => ({
        id: a.id,
        name: a.name,
        preview: a.preview,
        created_at: iso(a.createdAt),
        last_seen_at: iso(a.lastSeenAt),
        revoked_at: iso(a.revokedAt),
        revoked_reason: a.revokedReason,
        printer_count: Number(a.printerCount),
      })),
    ),
    200,
  );
};
