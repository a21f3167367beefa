import { listKitParts } from "@apf/db/queries/kits";
import { findSku } from "@apf/db/queries/skus";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { kitPartSchema, toKitPart } from "./parts-schema.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/skus/{skuId}/parts",
  operationId: "dashboardListSkuParts",
  tags: TAGS,
  summary: "The parts a kit SKU is assembled from (any member); empty for a plain SKU",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("skuId") },
  responses: {
    200: dataResponse(z.array(kitPartSchema), "The parts, by SKU code."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { skuId } = c.req.valid("param");
  const { db } = c.get("services");
  const { organizationId } = c.get("org");
  if (!(await findSku(db, organizationId, skuId))) {
    throw new ApiError("NOT_FOUND", "No such SKU in this organization.");
  }
  const parts = await listKitParts(db, organizationId, skuId);
  return json(c, ok(parts.map(toKitPart)), 200);
};
