import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { editQueuedJob } from "../../../modules/print-queue/operations.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { currentJob, JobEditSchema, toJobEdit } from "../../public/v1/jobs/queue-schema.ts";
import { JobSchema } from "../../public/v1/jobs/schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { memberActor } from "./queue.ts";

export const route = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/jobs/{jobId}",
  operationId: "dashboardUpdateJob",
  tags: TAGS,
  summary: "Change a queued job's priority, printer or place (any member)",
  description:
    'The same operation as PATCH /public/v1/jobs/{id}: `priority`, `printer_id` (null: any), `position` ("top", "bottom" or a 1-based place). 409 JOB_STATE_CHANGED once it left the queue.',
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("jobId"), body: jsonBody(JobEditSchema) },
  responses: {
    200: dataResponse(JobSchema, "The job as changed."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { jobId } = c.req.valid("param");
  const services = c.get("services");
  const actor = memberActor(c);
  await editQueuedJob(services, actor, jobId, toJobEdit(c.req.valid("json")));
  return json(c, ok(await currentJob(services.db, actor.organizationId, jobId)), 200);
};
