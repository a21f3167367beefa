import { listPublicInventory } from "@apf/db/queries/public-inventory";
import { STOCK_STATUSES } from "@apf/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { booleanFlag, filterText, oneOf, optInPage, optInPaging } from "../params.ts";
import { InventoryItemSchema, toInventoryItem } from "./schema.ts";

const query = z.object({
  low_stock: booleanFlag(
    "`true`: only items at or below their threshold; `false`: the others. Items with no threshold never count as low.",
  ),
  sku: filterText(200, "Only the item with exactly this SKU code."),
  material: filterText(200, "Only items of exactly this material (case-sensitive)."),
  status: oneOf(STOCK_STATUSES, "Only items in this stock status."),
  ...optInPaging,
});

export const listInventoryRoute = createRoute({
  method: "get",
  path: "/inventory",
  operationId: "listInventory",
  tags: ["Inventory"],
  summary: "List finished-goods inventory",
  ...keyOperation(
    "inventory:read",
    "Finished goods by SKU with their ready stock, ordered by SKU. Every item unless paged.",
  ),
  request: { query },
  responses: {
    200: {
      description: "The items; `meta` only when `limit` or `offset` was given.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(InventoryItemSchema, "when paged") } },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/inventory */
export function registerListInventory(router: PublicRouter) {
  router.openapi(listInventoryRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const page = optInPage(q);
    const { rows, count } = await listPublicInventory(
      services.db,
      apiKey.organizationId,
      { lowStock: q.low_stock, sku: q.sku, material: q.material, status: q.status },
      page,
    );
    const data = rows.map(toInventoryItem);
    if (!page) return json(c, { success: true as const, data }, 200);
    return json(c, { success: true as const, data, meta: { ...page, count: count ?? 0 } }, 200);
  });
}
