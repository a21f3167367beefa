import { listMembers } from "@apf/db/queries/members";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { memberSchema, toMember } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/members",
  operationId: "dashboardListMembers",
  tags: TAGS,
  summary: "The organization's members (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(memberSchema), "Members, longest-standing first."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const members = await listMembers(c.get("services").db, c.get("org").organizationId);
  return json(c, ok(members.map(toMember)), 200);
};
