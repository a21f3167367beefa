import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { startJob } from "../../../modules/print-queue/start.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { StartAnswerSchema } from "../../public/v1/jobs/queue-schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { memberActor } from "./queue.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/jobs/{jobId}/start",
  operationId: "dashboardStartJob",
  tags: TAGS,
  summary: "Start a queued job on its printer (any member)",
  description:
    "The same operation and answers as POST /public/v1/jobs/{id}/start: JOB_NOT_FOUND, JOB_STATE_CHANGED, NO_PRINTER_ASSIGNED, PRINTER_NOT_FOUND, PRINTER_UNAVAILABLE, PRINTER_MODEL_MISMATCH, NO_HUB_ASSIGNED, HUB_OFFLINE, FILE_NOT_FOUND in that order; 200 once the agent took it, 503 HUB_COMMAND_FAILED when it refused at once, 202 without an answer in 10 s.",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("jobId") },
  responses: {
    200: dataResponse(StartAnswerSchema, "The agent took the print command."),
    202: dataResponse(StartAnswerSchema, "Sent; not taken within 10 s."),
    ...errors(400, 401, 403, 404, 409, 503),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { jobId } = c.req.valid("param");
  const answer = await startJob(c.get("services"), memberActor(c), jobId);
  return answer.taken ? json(c, ok(answer.data), 200) : json(c, ok(answer.data), 202);
};
