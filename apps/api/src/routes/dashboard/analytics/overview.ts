import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { overviewReport } from "../../../modules/analytics/reports.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { OverviewReportSchema } from "../../public/v1/analytics/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/analytics/overview",
  operationId: "dashboardAnalyticsOverview",
  tags: TAGS,
  summary: "Live counts (any member; the report of GET /public/v1/analytics/overview)",
  security: SESSION_SECURITY,
  request: { params: orgParams },
  responses: {
    200: dataResponse(OverviewReportSchema, "The counts now."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const report = await overviewReport(c.get("services"), c.get("org").organizationId);
  return json(c, ok(OverviewReportSchema.parse(report)), 200);
};
