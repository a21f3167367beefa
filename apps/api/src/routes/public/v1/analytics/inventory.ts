import { createRoute, z } from "@hono/zod-openapi";
import { inventoryReport } from "../../../../modules/analytics/reports.ts";
import {
  AUTHENTICATED_HEADERS,
  analyticsUnavailableResponse,
  errorResponses,
} from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { InventoryReportSchema, reportOr400, windowQuery } from "./schema.ts";

export const inventoryAnalyticsRoute = createRoute({
  method: "get",
  path: "/analytics/inventory",
  operationId: "getInventoryAnalytics",
  tags: ["Analytics"],
  summary: "Inventory and material usage",
  ...keyOperation(
    "analytics:read",
    "Low-stock SKUs and spools (the inventory alert and spool low-threshold rules), the spools, and grams of filament used by the window's completed jobs, from their print file's slicer figure.",
  ),
  request: { query: z.object({ ...windowQuery }) },
  responses: {
    200: {
      description: "The report.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(InventoryReportSchema) } },
    },
    ...errorResponses(400, 401, 403, 429, 500),
    ...analyticsUnavailableResponse(),
  },
});

/** GET /public/v1/analytics/inventory */
export function registerGetInventoryAnalytics(router: PublicRouter) {
  router.openapi(inventoryAnalyticsRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const data = InventoryReportSchema.parse(
      reportOr400(
        await inventoryReport(services, apiKey.organizationId, { from: q.from, to: q.to }),
      ),
    );
    return json(c, { success: true as const, data }, 200);
  });
}
