import { createRoute } from "@hono/zod-openapi";
import { editQueuedJob } from "../../../../modules/print-queue/operations.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import {
  currentJob,
  JobEditSchema,
  jobIdOr404,
  keyActor,
  queueError,
  toJobEdit,
} from "./queue-schema.ts";
import { JobSchema } from "./schema.ts";

export const updateJobRoute = createRoute({
  method: "patch",
  path: "/jobs/{id}",
  operationId: "updateJob",
  tags: ["Jobs"],
  summary: "Change a queued job's priority, printer or place",
  ...keyOperation(
    "jobs:write",
    'While the job is queued: `priority` (0–255), `printer_id` (null: any fitting printer), `position` ("top", "bottom" or a 1-based place).',
  ),
  request: { params: idParams, body: jsonBody(JobEditSchema) },
  responses: {
    200: {
      description: "The job as changed.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(JobSchema) } },
    },
    400: queueError(
      ["INVALID_REQUEST", "PRINTER_MODEL_MISMATCH"],
      "a field is invalid, or the file is sliced for another printer model.",
    ),
    404: queueError(["NOT_FOUND", "PRINTER_NOT_FOUND"], "no such job, or no such printer."),
    409: queueError(["JOB_STATE_CHANGED"], "the job is not queued; the message names its status."),
    ...errorResponses(401, 403, 413, 415, 429, 500, 503),
  },
});

/** PATCH /public/v1/jobs/{id} */
export function registerUpdateJob(router: PublicRouter) {
  router.openapi(updateJobRoute, async (c) => {
    const id = jobIdOr404(c.req.valid("param").id);
    const edit = toJobEdit(c.req.valid("json"));
    const services = c.get("services");
    const actor = keyActor(c);
    await editQueuedJob(services, actor, id, edit);
    return json(
      c,
      { success: true as const, data: await currentJob(services.db, actor.organizationId, id) },
      200,
    );
  });
}
