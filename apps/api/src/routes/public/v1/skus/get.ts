import { findPublicSku } from "@apf/db/queries/public-products";
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { SkuDetailSchema, toSkuDetail } from "./schema.ts";

export const getSkuRoute = createRoute({
  method: "get",
  path: "/skus/{id}",
  operationId: "getSku",
  tags: ["Products"],
  summary: "Get a SKU",
  ...keyOperation(
    "inventory:read",
    "One SKU with its stock and, for a kit, how many kits its parts make and the stock of each part.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The SKU.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(SkuDetailSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/skus/{id} */
export function registerGetSku(router: PublicRouter) {
  router.openapi(getSkuRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "SKU", (skuId) =>
      findPublicSku(services.db, apiKey.organizationId, skuId),
    );
    return json(c, { success: true as const, data: toSkuDetail(row) }, 200);
  });
}
