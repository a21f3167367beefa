import { createRoute } from "@hono/zod-openapi";
import { cancelJob } from "../../../../modules/print-queue/operations.ts";
import {
  AUTHENTICATED_HEADERS,
  errorResponses,
  hubUnavailableResponse,
} from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import {
  CancelStoppingSchema,
  currentJob,
  jobIdOr404,
  keyActor,
  queueError,
} from "./queue-schema.ts";
import { JobSchema } from "./schema.ts";

export const cancelJobRoute = createRoute({
  method: "post",
  path: "/jobs/{id}/cancel",
  operationId: "cancelJob",
  tags: ["Jobs"],
  summary: "Cancel a job",
  ...keyOperation(
    "jobs:control",
    "`queued`, `processing` or `uploaded` → `cancelled` at once (200). `printing` or `paused` → the printer's `stop` through its agent (as POST /printers/{id}/control), and the job is `cancelled` when the agent's report shows the print ended (202).",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "Cancelled.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(JobSchema) } },
    },
    202: {
      description: "The printer was told to stop; follow the job (or the stop command).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(CancelStoppingSchema) } },
    },
    409: queueError(
      ["JOB_STATE_CHANGED", "INVALID_STATE"],
      "the job has ended (the message names its status), or the printer cannot be stopped now.",
    ),
    ...errorResponses(401, 403, 404, 429, 500),
    ...hubUnavailableResponse(),
  },
});

/** POST /public/v1/jobs/{id}/cancel */
export function registerCancelJob(router: PublicRouter) {
  router.openapi(cancelJobRoute, async (c) => {
    const id = jobIdOr404(c.req.valid("param").id);
    const services = c.get("services");
    const actor = keyActor(c);
    const outcome = await cancelJob(services, actor, id);
    if (outcome.kind === "stopping") {
      const data = {
        job_id: id,
        status: "stopping" as const,
        printer_id: outcome.control.data.printer_id,
        command_id: outcome.control.data.command_id,
      };
      return json(c, { success: true as const, data }, 202);
    }
    return json(
      c,
      { success: true as const, data: await currentJob(services.db, actor.organizationId, id) },
      200,
    );
  });
}
