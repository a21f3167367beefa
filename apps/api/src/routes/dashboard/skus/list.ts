import { listSkus } from "@apf/db/queries/skus";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { skuSchema, toSku } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/skus",
  operationId: "dashboardListSkus",
  tags: TAGS,
  summary: "The organization's SKUs (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(skuSchema), "SKUs by code."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const rows = await listSkus(c.get("services").db, c.get("org").organizationId);
  return json(c, ok(rows.map(toSku)), 200);
};
