import { listPublicSkus } from "@apf/db/queries/public-products";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { isUuid, listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { booleanFlag, filterText, optInPage, optInPaging } from "../params.ts";
import { SkuSchema, toSku } from "./schema.ts";

const query = z.object({
  product_id: filterText(100, "Only SKUs of this product (an unknown id matches nothing)."),
  color: filterText(100, "Only SKUs of this colour (case-insensitive, whole value)."),
  filament_type: filterText(100, "Only SKUs of exactly this material (case-sensitive)."),
  low_stock: booleanFlag(
    "`true`: only SKUs at or below their threshold; `false`: the others. SKUs with no threshold never count as low.",
  ),
  is_active: booleanFlag("Only active (`true`) or inactive (`false`) SKUs."),
  ...optInPaging,
});

export const listSkusRoute = createRoute({
  method: "get",
  path: "/skus",
  operationId: "listSkus",
  tags: ["Products"],
  summary: "List SKUs",
  ...keyOperation(
    "inventory:read",
    "The organization's SKUs (the variants of its products) with their stock, ordered by SKU code. Every SKU unless paged. Prices and costs are never part of a SKU here.",
  ),
  request: { query },
  responses: {
    200: {
      description: "The SKUs; `meta` only when `limit` or `offset` was given.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(SkuSchema, "when paged") } },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/skus */
export function registerListSkus(router: PublicRouter) {
  router.openapi(listSkusRoute, async (c) => {
    const q = c.req.valid("query");
    const page = optInPage(q);
    // Ids are opaque: a product_id that cannot exist filters everything out rather than erring.
    const unknownProduct = q.product_id !== undefined && !isUuid(q.product_id);
    const { rows, count } = unknownProduct
      ? { rows: [], count: 0 }
      : await listPublicSkus(
          c.get("services").db,
          c.get("apiKey").organizationId,
          {
            productId: q.product_id,
            color: q.color,
            filamentType: q.filament_type,
            lowStock: q.low_stock,
            isActive: q.is_active,
          },
          page,
        );
    const data = rows.map(toSku);
    if (!page) return json(c, { success: true as const, data }, 200);
    return json(c, { success: true as const, data, meta: { ...page, count: count ?? 0 } }, 200);
  });
}
