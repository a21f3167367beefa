import { createRoute, z } from "@hono/zod-openapi";
import { productionReport } from "../../../../modules/analytics/reports.ts";
import {
  AUTHENTICATED_HEADERS,
  analyticsUnavailableResponse,
  errorResponses,
} from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { ProductionReportSchema, reportOr400, windowQuery } from "./schema.ts";

export const productionRoute = createRoute({
  method: "get",
  path: "/analytics/production",
  operationId: "getProductionAnalytics",
  tags: ["Analytics"],
  summary: "Production by day",
  ...keyOperation(
    "analytics:read",
    "Jobs completed and failed, units produced and print time, by the day each job ended in the organization's time zone (a job spanning midnight counts on the day it ended). Optional printer and product filters.",
  ),
  request: {
    query: z.object({
      ...windowQuery,
      printer_id: z
        .uuid({ error: "must be a printer id (UUID)" })
        .optional()
        .openapi({ description: "Only this printer's jobs." }),
      product_id: z
        .uuid({ error: "must be a product id (UUID)" })
        .optional()
        .openapi({ description: "Only jobs of this product's SKUs." }),
    }),
  },
  responses: {
    200: {
      description: "The report.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(ProductionReportSchema) } },
    },
    ...errorResponses(400, 401, 403, 429, 500),
    ...analyticsUnavailableResponse(),
  },
});

/** GET /public/v1/analytics/production */
export function registerGetProductionAnalytics(router: PublicRouter) {
  router.openapi(productionRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const data = ProductionReportSchema.parse(
      reportOr400(
        await productionReport(services, apiKey.organizationId, {
          from: q.from,
          to: q.to,
          printerId: q.printer_id,
          productId: q.product_id,
        }),
      ),
    );
    return json(c, { success: true as const, data }, 200);
  });
}
