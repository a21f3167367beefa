import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { retryJob } from "../../../modules/print-queue/operations.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { currentJob } from "../../public/v1/jobs/queue-schema.ts";
import { JobSchema } from "../../public/v1/jobs/schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { memberActor } from "./queue.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/jobs/{jobId}/retry",
  operationId: "dashboardRetryJob",
  tags: TAGS,
  summary: "Queue a failed or cancelled job again (any member)",
  description: "Attempts are kept. 409 JOB_STATE_CHANGED unless failed or cancelled.",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("jobId") },
  responses: {
    200: dataResponse(JobSchema, "The job, queued again."),
    ...errors(401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { jobId } = c.req.valid("param");
  const services = c.get("services");
  const actor = memberActor(c);
  await retryJob(services, actor, jobId);
  return json(c, ok(await currentJob(services.db, actor.organizationId, jobId)), 200);
};
