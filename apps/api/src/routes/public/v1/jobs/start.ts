import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { startJob } from "../../../../modules/print-queue/start.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { isUuid, itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { keyActor, queueError, StartAnswerSchema } from "./queue-schema.ts";

/** The answers of a start, in the order they are checked (shared with the dashboard route). */
export const START_ERRORS = {
  400: queueError(
    ["NO_PRINTER_ASSIGNED", "PRINTER_UNAVAILABLE", "PRINTER_MODEL_MISMATCH", "NO_HUB_ASSIGNED"],
    "the job has no printer; the printer is offline, not idle, in maintenance, inactive or its bed not cleared (the message says which); the file is sliced for another model; no agent reports the printer.",
  ),
  404: queueError(
    ["JOB_NOT_FOUND", "PRINTER_NOT_FOUND", "FILE_NOT_FOUND"],
    "no such job; its printer or its print file no longer exists.",
  ),
  409: queueError(["JOB_STATE_CHANGED"], "the job is not queued; the message names its status."),
  503: queueError(
    ["HUB_OFFLINE", "HUB_COMMAND_FAILED", "UNAVAILABLE"],
    "the printer's agent has no open command channel (the job stays queued); the agent refused the print at once (the job is queued again); a dependency is down.",
  ),
};

export const startJobRoute = createRoute({
  method: "post",
  path: "/jobs/{id}/start",
  operationId: "startJob",
  tags: ["Jobs"],
  summary: "Start a queued job on its printer",
  ...keyOperation(
    "jobs:control",
    "Checks, in this order: JOB_NOT_FOUND, JOB_STATE_CHANGED, NO_PRINTER_ASSIGNED, PRINTER_NOT_FOUND, PRINTER_UNAVAILABLE, PRINTER_MODEL_MISMATCH, NO_HUB_ASSIGNED, HUB_OFFLINE, FILE_NOT_FOUND. Then the job is `processing` and a `print` command goes to the printer's agent, which fetches the file and hands it to OctoPrint. Waits up to 10 s.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The agent took the print command (and did not refuse it at once).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(StartAnswerSchema) } },
    },
    202: {
      description: "Sent; the agent has not taken it within 10 s. Follow the job.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(StartAnswerSchema) } },
    },
    ...START_ERRORS,
    ...errorResponses(401, 403, 429, 500),
  },
});

/** POST /public/v1/jobs/{id}/start */
export function registerStartJob(router: PublicRouter) {
  router.openapi(startJobRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!isUuid(id)) throw new ApiError("JOB_NOT_FOUND", "Job not found.");
    const answer = await startJob(c.get("services"), keyActor(c), id);
    const body = { success: true as const, data: answer.data };
    return answer.taken ? json(c, body, 200) : json(c, body, 202);
  });
}
