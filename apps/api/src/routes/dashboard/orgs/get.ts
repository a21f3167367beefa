import { findOrganization } from "@apf/db/queries/organizations";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { organizationSchema, toOrganization } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}",
  operationId: "dashboardGetOrganization",
  tags: TAGS,
  summary: "An organization and its settings (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(organizationSchema, "The organization."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const org = await findOrganization(c.get("services").db, c.get("org").organizationId);
  if (!org) throw new ApiError("NOT_FOUND", "No such organization.");
  return json(c, ok(toOrganization(org)), 200);
};
