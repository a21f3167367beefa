import { listSpools } from "@apf/db/queries/filament";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { spoolSchema, toSpool } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/filament",
  operationId: "dashboardListFilamentSpools",
  tags: TAGS,
  summary: "The organization's filament spools (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(spoolSchema), "Spools, oldest first."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const rows = await listSpools(c.get("services").db, c.get("org").organizationId);
  return json(c, ok(rows.map(toSpool)), 200);
};
