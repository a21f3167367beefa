import { JOB_STATUSES } from "@apf/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { cachedJson, NOT_MODIFIED_RESPONSE } from "../../../../openapi/encoded-json.ts";
import { isUuid, listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { filterText, MAX_OFFSET, oneOf, wholeNumberOr } from "../params.ts";
import { JobSchema } from "./schema.ts";

const query = z.object({
  status: oneOf(JOB_STATUSES, "Only jobs in this status."),
  printer_id: filterText(100, "Only jobs of this printer (an unknown id matches nothing)."),
  limit: wholeNumberOr(50, 1, 100, "Page size, 1 to 100."),
  offset: wholeNumberOr(0, 0, MAX_OFFSET, "Jobs to skip."),
});

export const listJobsRoute = createRoute({
  method: "get",
  path: "/jobs",
  operationId: "listJobs",
  tags: ["Jobs"],
  summary: "List jobs",
  ...keyOperation("jobs:read", "The organization's print jobs, newest first, one page at a time."),
  request: { query },
  responses: {
    200: {
      description: "One page of jobs and `meta` (always).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(JobSchema, "always") } },
    },
    ...NOT_MODIFIED_RESPONSE,
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/jobs */
export function registerListJobs(router: PublicRouter) {
  router.openapi(listJobsRoute, async (c) => {
    const q = c.req.valid("query");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const page = { limit: q.limit, offset: q.offset };
    // Ids are opaque: a printer_id that cannot exist filters everything out rather than erring.
    if (q.printer_id !== undefined && !isUuid(q.printer_id)) {
      return json(c, { success: true as const, data: [], meta: { ...page, count: 0 } }, 200);
    }
    // Served from the organization's serialised pages, rebuilt when its jobs or SKUs changed
    // (services/jobs-list-cache.ts); the bytes are what toPublicJob produced.
    const body = await services.jobsListCache.body(apiKey.organizationId, {
      ...page,
      status: q.status,
      printerId: q.printer_id,
    });
    return cachedJson(c, body, services.encodedBodies);
  });
}
