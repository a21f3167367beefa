import { findPublicProduct } from "@apf/db/queries/public-products";
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { ProductDetailSchema, toProductDetail } from "./schema.ts";

export const getProductRoute = createRoute({
  method: "get",
  path: "/products/{id}",
  operationId: "getProduct",
  tags: ["Products"],
  summary: "Get a product",
  ...keyOperation(
    "inventory:read",
    "One product with its SKUs and, for kits, the parts each kit SKU takes (with the stock of each), so no follow-up request is needed.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The product.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(ProductDetailSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/products/{id} */
export function registerGetProduct(router: PublicRouter) {
  router.openapi(getProductRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "Product", (productId) =>
      findPublicProduct(services.db, apiKey.organizationId, productId),
    );
    return json(c, { success: true as const, data: toProductDetail(row) }, 200);
  });
}
