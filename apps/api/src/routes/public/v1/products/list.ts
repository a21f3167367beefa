import { listPublicProducts } from "@apf/db/queries/public-products";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { booleanFlag, filterText, MAX_OFFSET, wholeNumberOr } from "../params.ts";
import { ProductSchema, toProduct } from "./schema.ts";

const query = z.object({
  category: filterText(
    100,
    "Only products of exactly this category. apf records no categories, so no product matches.",
  ),
  is_active: booleanFlag(
    "`true`: products with at least one active SKU; `false`: products whose SKUs are all inactive.",
  ),
  search: filterText(120, "Case-insensitive substring of the name or the description."),
  limit: wholeNumberOr(50, 1, 100, "Page size, 1 to 100."),
  offset: wholeNumberOr(0, 0, MAX_OFFSET, "Products to skip."),
});

export const listProductsRoute = createRoute({
  method: "get",
  path: "/products",
  operationId: "listProducts",
  tags: ["Products"],
  summary: "List products",
  ...keyOperation(
    "inventory:read",
    "The organization's products, by name, one page at a time. A product is the SKUs that share a `product_id` (its variants); its fields are read from them.",
  ),
  request: { query },
  responses: {
    200: {
      description: "One page of products and `meta` (always).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(ProductSchema, "always") } },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/products */
export function registerListProducts(router: PublicRouter) {
  router.openapi(listProductsRoute, async (c) => {
    const q = c.req.valid("query");
    const page = { limit: q.limit, offset: q.offset };
    const { rows, count } = await listPublicProducts(
      c.get("services").db,
      c.get("apiKey").organizationId,
      { category: q.category, isActive: q.is_active, search: q.search },
      page,
    );
    return json(
      c,
      { success: true as const, data: rows.map(toProduct), meta: { ...page, count } },
      200,
    );
  });
}
