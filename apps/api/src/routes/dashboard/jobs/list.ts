import { listPublicJobs } from "@apf/db/queries/public-jobs";
import { JOB_STATUSES } from "@apf/domain";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { JobSchema, toPublicJob } from "../../public/v1/jobs/schema.ts";
import { orgParams, TAGS } from "../params.ts";

const LIMIT = "must be a whole number from 1 to 100";
const OFFSET = "must be a whole number from 0 to 1000000";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/jobs",
  operationId: "dashboardListJobs",
  tags: TAGS,
  summary: "The organization's print jobs, newest first, paged (any member)",
  security: SESSION_SECURITY,
  request: {
    params: orgParams,
    query: z.object({
      status: z
        .enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(", ")}` })
        .optional(),
      printer_id: z.uuid({ error: "must be a printer id" }).optional(),
      limit: z.coerce.number().int(LIMIT).min(1, LIMIT).max(100, LIMIT).default(50),
      offset: z.coerce.number().int(OFFSET).min(0, OFFSET).max(1_000_000, OFFSET).default(0),
    }),
  },
  responses: {
    200: {
      description: "A page of jobs (the public job item) and the total count of matches.",
      content: {
        "application/json": {
          schema: z.object({
            success: z.literal(true),
            data: z.array(JobSchema),
            meta: z.object({ limit: z.number(), offset: z.number(), count: z.number() }),
          }),
        },
      },
    },
    ...errors(400, 401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { status, printer_id, limit, offset } = c.req.valid("query");
  const { rows, count } = await listPublicJobs(
    c.get("services").db,
    c.get("org").organizationId,
    { status, printerId: printer_id },
    { limit, offset },
  );
  return json(c, { ...ok(rows.map(toPublicJob)), meta: { limit, offset, count } }, 200);
};
