import { findPublicInventoryItemBySku } from "@apf/db/queries/public-inventory";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404 } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { InventoryItemDetailSchema, toInventoryItemDetail } from "./schema.ts";

const params = z.object({
  skuId: z.string().openapi({
    param: { name: "skuId", in: "path" },
    description:
      "A product SKU id (`product_sku_id`). One that does not exist in the key's organization answers 404.",
    example: "3f1c2b9e-8d4a-4c1e-9b7a-2f6d5e4c3b2a",
  }),
});

export const getInventoryBySkuRoute = createRoute({
  method: "get",
  path: "/inventory/by-sku/{skuId}",
  operationId: "getInventoryItemBySku",
  tags: ["Inventory"],
  summary: "Get the inventory item of a product SKU",
  ...keyOperation("inventory:read", "The finished-goods item of a product SKU id."),
  request: { params },
  responses: {
    200: {
      description: "The item.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(InventoryItemDetailSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/inventory/by-sku/{skuId} */
export function registerGetInventoryBySku(router: PublicRouter) {
  router.openapi(getInventoryBySkuRoute, async (c) => {
    const { skuId } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(skuId, "Inventory item", (id) =>
      findPublicInventoryItemBySku(services.db, apiKey.organizationId, id),
    );
    return json(c, { success: true as const, data: toInventoryItemDetail(row) }, 200);
  });
}
