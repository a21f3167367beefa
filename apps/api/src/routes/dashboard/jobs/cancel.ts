import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { cancelJob } from "../../../modules/print-queue/operations.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { CancelStoppingSchema, currentJob } from "../../public/v1/jobs/queue-schema.ts";
import { JobSchema } from "../../public/v1/jobs/schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { memberActor } from "./queue.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/jobs/{jobId}/cancel",
  operationId: "dashboardCancelJob",
  tags: TAGS,
  summary: "Cancel a job (any member)",
  description:
    "The same operation as POST /public/v1/jobs/{id}/cancel: queued, processing or uploaded → cancelled (200); printing or paused → the printer's stop (202).",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("jobId") },
  responses: {
    200: dataResponse(JobSchema, "Cancelled."),
    202: dataResponse(CancelStoppingSchema, "The printer was told to stop."),
    ...errors(401, 403, 404, 409, 503),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { jobId } = c.req.valid("param");
  const services = c.get("services");
  const actor = memberActor(c);
  const outcome = await cancelJob(services, actor, jobId);
  if (outcome.kind === "stopping") {
    return json(
      c,
      ok({
        job_id: jobId,
        status: "stopping" as const,
        printer_id: outcome.control.data.printer_id,
        command_id: outcome.control.data.command_id,
      }),
      202,
    );
  }
  return json(c, ok(await currentJob(services.db, actor.organizationId, jobId)), 200);
};
