import { createRoute, z } from "@hono/zod-openapi";
import { failuresReport } from "../../../../modules/analytics/reports.ts";
import {
  AUTHENTICATED_HEADERS,
  analyticsUnavailableResponse,
  errorResponses,
} from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { FailuresReportSchema, reportOr400, windowQuery } from "./schema.ts";

export const failuresRoute = createRoute({
  method: "get",
  path: "/analytics/failures",
  operationId: "getFailureAnalytics",
  tags: ["Analytics"],
  summary: "Failure analysis",
  ...keyOperation(
    "analytics:read",
    "Failed jobs of the window by normalised reason, printer, file and day, and the 20 most recent.",
  ),
  request: { query: z.object({ ...windowQuery }) },
  responses: {
    200: {
      description: "The report.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(FailuresReportSchema) } },
    },
    ...errorResponses(400, 401, 403, 429, 500),
    ...analyticsUnavailableResponse(),
  },
});

/** GET /public/v1/analytics/failures */
export function registerGetFailureAnalytics(router: PublicRouter) {
  router.openapi(failuresRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const data = FailuresReportSchema.parse(
      reportOr400(
        await failuresReport(services, apiKey.organizationId, { from: q.from, to: q.to }),
      ),
    );
    return json(c, { success: true as const, data }, 200);
  });
}
