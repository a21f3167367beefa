import { findPublicInventoryItem } from "@apf/db/queries/public-inventory";
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { InventoryItemDetailSchema, toInventoryItemDetail } from "./schema.ts";

export const getInventoryItemRoute = createRoute({
  method: "get",
  path: "/inventory/{id}",
  operationId: "getInventoryItem",
  tags: ["Inventory"],
  summary: "Get an inventory item",
  ...keyOperation("inventory:read", "One SKU's finished-goods stock, with its product."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The item.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(InventoryItemDetailSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/inventory/{id} */
export function registerGetInventoryItem(router: PublicRouter) {
  router.openapi(getInventoryItemRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "Inventory item", (skuId) =>
      findPublicInventoryItem(services.db, apiKey.organizationId, skuId),
    );
    return json(c, { success: true as const, data: toInventoryItemDetail(row) }, 200);
  });
}
