import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { removeQueuedJob } from "../../../modules/print-queue/operations.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { DeletedSchema } from "../../public/v1/jobs/queue-schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { memberActor } from "./queue.ts";

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/jobs/{jobId}",
  operationId: "dashboardDeleteJob",
  tags: TAGS,
  summary: "Remove a queued job (any member)",
  description: "409 JOB_STATE_CHANGED once it left the queue.",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("jobId") },
  responses: {
    200: dataResponse(DeletedSchema, "Removed."),
    ...errors(401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { jobId } = c.req.valid("param");
  await removeQueuedJob(c.get("services"), memberActor(c), jobId);
  return json(c, ok({ id: jobId, deleted: true as const }), 200);
};
