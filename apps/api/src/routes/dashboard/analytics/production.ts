import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { productionReport } from "../../../modules/analytics/reports.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  ProductionReportSchema,
  reportOr400,
  windowQuery,
} from "../../public/v1/analytics/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/analytics/production",
  operationId: "dashboardProductionAnalytics",
  tags: TAGS,
  summary: "Production by day (any member; the report of GET /public/v1/analytics/production)",
  security: SESSION_SECURITY,
  request: {
    params: orgParams,
    query: z.object({
      ...windowQuery,
      printer_id: z.uuid({ error: "must be a printer id (UUID)" }).optional(),
      product_id: z.uuid({ error: "must be a product id (UUID)" }).optional(),
    }),
  },
  responses: {
    200: dataResponse(ProductionReportSchema, "The report."),
    ...errors(400, 401, 404, 503),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const q = c.req.valid("query");
  const report = reportOr400(
    await productionReport(c.get("services"), c.get("org").organizationId, {
      from: q.from,
      to: q.to,
      printerId: q.printer_id,
      productId: q.product_id,
    }),
  );
  return json(c, ok(ProductionReportSchema.parse(report)), 200);
};
