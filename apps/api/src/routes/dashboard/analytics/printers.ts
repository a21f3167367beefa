import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { printersReport } from "../../../modules/analytics/reports.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  PrintersReportSchema,
  reportOr400,
  windowQuery,
} from "../../public/v1/analytics/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/analytics/printers",
  operationId: "dashboardPrinterAnalytics",
  tags: TAGS,
  summary: "Printer performance (any member; the report of GET /public/v1/analytics/printers)",
  security: SESSION_SECURITY,
  request: { params: orgParams, query: z.object({ ...windowQuery }) },
  responses: {
    200: dataResponse(PrintersReportSchema, "The report."),
    ...errors(400, 401, 404, 503),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const q = c.req.valid("query");
  const report = reportOr400(
    await printersReport(c.get("services"), c.get("org").organizationId, {
      from: q.from,
      to: q.to,
    }),
  );
  return json(c, ok(PrintersReportSchema.parse(report)), 200);
};
