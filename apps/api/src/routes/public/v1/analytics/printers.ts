import { createRoute, z } from "@hono/zod-openapi";
import { printersReport } from "../../../../modules/analytics/reports.ts";
import {
  AUTHENTICATED_HEADERS,
  analyticsUnavailableResponse,
  errorResponses,
} from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { PrintersReportSchema, reportOr400, windowQuery } from "./schema.ts";

export const printersAnalyticsRoute = createRoute({
  method: "get",
  path: "/analytics/printers",
  operationId: "getPrinterAnalytics",
  tags: ["Analytics"],
  summary: "Printer performance",
  ...keyOperation(
    "analytics:read",
    "Every printer with its jobs ended in the window, success rate, print hours and utilization (printing time over the window's length, the window's end clipped to now).",
  ),
  request: { query: z.object({ ...windowQuery }) },
  responses: {
    200: {
      description: "The report.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(PrintersReportSchema) } },
    },
    ...errorResponses(400, 401, 403, 429, 500),
    ...analyticsUnavailableResponse(),
  },
});

/** GET /public/v1/analytics/printers */
export function registerGetPrinterAnalytics(router: PublicRouter) {
  router.openapi(printersAnalyticsRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const data = PrintersReportSchema.parse(
      reportOr400(
        await printersReport(services, apiKey.organizationId, { from: q.from, to: q.to }),
      ),
    );
    return json(c, { success: true as const, data }, 200);
  });
}
