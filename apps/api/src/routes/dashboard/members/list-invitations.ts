import { listPendingInvitations } from "@apf/db/queries/invitations";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { invitationSchema, toInvitation } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/invitations",
  operationId: "dashboardListInvitations",
  tags: TAGS,
  summary: "Pending invitations (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(invitationSchema), "Invitations not yet claimed, oldest first."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const rows = await listPendingInvitations(c.get("services").db, c.get("org").organizationId);
  return json(c, ok(rows.map(toInvitation)), 200);
};
