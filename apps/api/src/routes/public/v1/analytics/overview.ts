import { createRoute } from "@hono/zod-openapi";
import { overviewReport } from "../../../../modules/analytics/reports.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { OverviewReportSchema } from "./schema.ts";

export const overviewRoute = createRoute({
  method: "get",
  path: "/analytics/overview",
  operationId: "getAnalyticsOverview",
  tags: ["Analytics"],
  summary: "Live overview",
  ...keyOperation(
    "analytics:read",
    "Live counts: printers by status (as the printer view reads them), jobs by state and ended today in the organization's time zone, pending tasks, agents (hubs) and low-stock alerts.",
  ),
  responses: {
    200: {
      description: "The counts now.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(OverviewReportSchema) } },
    },
    ...errorResponses(401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/analytics/overview */
export function registerGetAnalyticsOverview(router: PublicRouter) {
  router.openapi(overviewRoute, async (c) => {
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const data = OverviewReportSchema.parse(await overviewReport(services, apiKey.organizationId));
    return json(c, { success: true as const, data }, 200);
  });
}
