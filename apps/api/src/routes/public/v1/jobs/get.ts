import { findPublicJob } from "@apf/db/queries/public-jobs";
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { JobSchema, toPublicJob } from "./schema.ts";

export const getJobRoute = createRoute({
  method: "get",
  path: "/jobs/{id}",
  operationId: "getJob",
  tags: ["Jobs"],
  summary: "Get a job",
  ...keyOperation("jobs:read", "One print job of the organization."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The job.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(JobSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/jobs/{id} */
export function registerGetJob(router: PublicRouter) {
  router.openapi(getJobRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "Job", (jobId) =>
      findPublicJob(services.db, apiKey.organizationId, jobId),
    );
    return json(c, { success: true as const, data: toPublicJob(row) }, 200);
  });
}
