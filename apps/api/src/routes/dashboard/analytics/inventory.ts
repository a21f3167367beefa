import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { inventoryReport } from "../../../modules/analytics/reports.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  InventoryReportSchema,
  reportOr400,
  windowQuery,
} from "../../public/v1/analytics/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/analytics/inventory",
  operationId: "dashboardInventoryAnalytics",
  tags: TAGS,
  summary:
    "Inventory and material usage (any member; the report of GET /public/v1/analytics/inventory)",
  security: SESSION_SECURITY,
  request: { params: orgParams, query: z.object({ ...windowQuery }) },
  responses: {
    200: dataResponse(InventoryReportSchema, "The report."),
    ...errors(400, 401, 404, 503),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const q = c.req.valid("query");
  const report = reportOr400(
    await inventoryReport(c.get("services"), c.get("org").organizationId, {
      from: q.from,
      to: q.to,
    }),
  );
  return json(c, ok(InventoryReportSchema.parse(report)), 200);
};
