import { insertSku } from "@apf/db/queries/skus";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";
import { skuFields, skuSchema, toSku, toSkuColumns } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/skus",
  operationId: "dashboardCreateSku",
  tags: TAGS,
  summary: "Create a SKU (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParams, body: jsonBody(z.object(skuFields).strict()) },
  responses: {
    201: dataResponse(skuSchema, "The new SKU, with no stock yet."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const sku = await db.transaction(async (tx) => {
    const row = await insertSku(
      tx,
      organizationId,
      { ...toSkuColumns(body), sku: body.sku, productName: body.product_name },
      clock.now(),
    );
    if (!row) throw new ApiError("CONFLICT", `The organization already has a SKU "${body.sku}".`);
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "sku.created",
      target: { type: "sku", id: row.id },
      details: { sku: row.sku, product_name: row.productName },
    });
    return row;
  });
  return json(c, ok(toSku(sku)), 201);
};
