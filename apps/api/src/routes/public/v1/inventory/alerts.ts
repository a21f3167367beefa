import { listPublicInventoryAlerts } from "@apf/db/queries/public-inventory";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { InventoryAlertSchema, toInventoryAlert } from "./schema.ts";

export const listInventoryAlertsRoute = createRoute({
  method: "get",
  path: "/inventory/alerts",
  operationId: "listInventoryAlerts",
  tags: ["Inventory"],
  summary: "List low-stock alerts",
  ...keyOperation(
    "inventory:read",
    "Items at or below their low-stock threshold, by SKU, each with its product's name. Items without a threshold never alert.",
  ),
  responses: {
    200: {
      description: "The items that need restocking.",
      headers: AUTHENTICATED_HEADERS,
      content: {
        "application/json": {
          schema: z.object({ success: z.literal(true), data: z.array(InventoryAlertSchema) }),
        },
      },
    },
    ...errorResponses(401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/inventory/alerts (registered before /inventory/{id}, never read as an id). */
export function registerListInventoryAlerts(router: PublicRouter) {
  router.openapi(listInventoryAlertsRoute, async (c) => {
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const rows = await listPublicInventoryAlerts(services.db, apiKey.organizationId);
    return json(c, { success: true as const, data: rows.map(toInventoryAlert) }, 200);
  });
}
