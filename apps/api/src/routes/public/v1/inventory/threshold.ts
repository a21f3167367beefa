import { findPublicInventoryItem, setInventoryThreshold } from "@apf/db/queries/public-inventory";
import { isSkuLow } from "@apf/db/queries/skus";
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { skuLowStockEvents } from "../../../../modules/events/data.ts";
import { recordChange } from "../../../../modules/events/record-change.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { isUuid, itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { InventoryItemDetailSchema, toInventoryItemDetail } from "./schema.ts";

const THRESHOLD_RANGE = "must be a whole number from 0 to 1000000, or null";

const body = z
  .object({
    low_stock_threshold: z
      .number({ error: THRESHOLD_RANGE })
      .int(THRESHOLD_RANGE)
      .min(0, THRESHOLD_RANGE)
      .max(1_000_000, THRESHOLD_RANGE)
      .nullable()
      .openapi({ description: "Stock at or below which the item is low; null: never low." }),
  })
  .strict()
  .openapi("InventoryThresholdChange");

export const setInventoryThresholdRoute = createRoute({
  method: "put",
  path: "/inventory/{id}/threshold",
  operationId: "setInventoryThreshold",
  tags: ["Inventory"],
  summary: "Set an item's low-stock threshold",
  ...keyOperation(
    "inventory:write",
    "Sets (or with null clears) the low-stock threshold of an item. Audited with the key that made the change.",
  ),
  request: {
    params: idParams,
    body: jsonBody(body),
  },
  responses: {
    200: {
      description: "The item as changed.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(InventoryItemDetailSchema) } },
    },
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
  },
});

/** PUT /public/v1/inventory/{id}/threshold */
export function registerSetInventoryThreshold(router: PublicRouter) {
  router.openapi(setInventoryThresholdRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { low_stock_threshold: threshold } = c.req.valid("json");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const organizationId = apiKey.organizationId;
    const item = await services.db.transaction(async (tx) => {
      const found = isUuid(id) ? await findPublicInventoryItem(tx, organizationId, id) : undefined;
      if (!found) throw new ApiError("NOT_FOUND", "Inventory item not found.");
      const skuId = found.productSkuId;
      const wasLow = await isSkuLow(tx, organizationId, skuId, true);
      // Read again under the lock: the audit names the threshold this change replaced.
      const before = (await findPublicInventoryItem(tx, organizationId, id)) ?? found;
      await setInventoryThreshold(tx, organizationId, id, threshold, services.clock.now());
      await recordChange(tx, c.get("actor"), {
        organizationId,
        audit: {
          action: "inventory.threshold_changed",
          target: { type: "sku", id: skuId },
          details: {
            api_key_name: apiKey.name,
            inventory_id: id,
            from: before.lowStockThreshold,
            to: threshold,
          },
        },
        // A threshold raised to the stock or above it makes the item low.
        events: await skuLowStockEvents(tx, organizationId, skuId, wasLow),
      });
      return findPublicInventoryItem(tx, organizationId, id);
    });
    return json(c, { success: true as const, data: toInventoryItemDetail(item!) }, 200);
  });
}
