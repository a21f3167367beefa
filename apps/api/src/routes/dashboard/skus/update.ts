import { isSkuLow, skuCodeTaken, updateSku } from "@apf/db/queries/skus";
import { isUniqueViolation } from "@apf/db/queries/users";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordUpdate } from "../../../modules/audit/record-update.ts";
import { skuLowStockEvents } from "../../../modules/events/data.ts";
import {
  dataResponse,
  errors,
  jsonBody,
  nonEmptyPatch,
  ok,
  SESSION_SECURITY,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { skuFields, skuSchema, toSku, toSkuColumns } from "./schemas.ts";

const body = nonEmptyPatch(
  z
    .object({
      ...skuFields,
      sku: skuFields.sku.optional(),
      product_name: skuFields.product_name.optional(),
    })
    .strict(),
);

export const route = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/skus/{skuId}",
  operationId: "dashboardUpdateSku",
  tags: TAGS,
  summary: "Change a SKU (owner, admin); stock changes go through /stock",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("skuId"), body: jsonBody(body) },
  responses: {
    200: dataResponse(skuSchema, "The SKU as changed."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { skuId } = c.req.valid("param");
  const patch = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const duplicate = () =>
    new ApiError("CONFLICT", `The organization already has a SKU "${patch.sku}".`);
  const sku = await db
    .transaction(async (tx) => {
      if (patch.sku && (await skuCodeTaken(tx, organizationId, patch.sku, skuId)))
        throw duplicate();
      const wasLow = await isSkuLow(tx, organizationId, skuId, true);
      const row = await updateSku(tx, organizationId, skuId, toSkuColumns(patch), clock.now());
      return recordUpdate(
        tx,
        { origin: c.get("actor"), organizationId: c.get("org").organizationId },
        row,
        {
          action: "sku.updated",
          target: { type: "sku", id: skuId },
          changes: patch,
          notFound: "No such SKU in this organization.",
          // A threshold raised to the stock or above it makes the SKU low.
          events: row ? await skuLowStockEvents(tx, organizationId, skuId, wasLow) : [],
        },
      );
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "skus_org_sku_key")) throw duplicate();
      throw error;
    });
  return json(c, ok(toSku(sku)), 200);
};
