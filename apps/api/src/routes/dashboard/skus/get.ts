import { findSku } from "@apf/db/queries/skus";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { skuSchema, toSku } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/skus/{skuId}",
  operationId: "dashboardGetSku",
  tags: TAGS,
  summary: "One SKU (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("skuId") },
  responses: {
    200: dataResponse(skuSchema, "The SKU."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { skuId } = c.req.valid("param");
  const sku = await findSku(c.get("services").db, c.get("org").organizationId, skuId);
  if (!sku) throw new ApiError("NOT_FOUND", "No such SKU in this organization.");
  return json(c, ok(toSku(sku)), 200);
};
