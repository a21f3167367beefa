import { createRoute } from "@hono/zod-openapi";
import { removeQueuedJob } from "../../../../modules/print-queue/operations.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { DeletedSchema, jobIdOr404, keyActor, queueError } from "./queue-schema.ts";

export const deleteJobRoute = createRoute({
  method: "delete",
  path: "/jobs/{id}",
  operationId: "deleteJob",
  tags: ["Jobs"],
  summary: "Remove a queued job",
  ...keyOperation("jobs:write", "Removes a job while it is queued."),
  request: { params: idParams },
  responses: {
    200: {
      description: "Removed.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(DeletedSchema) } },
    },
    409: queueError(["JOB_STATE_CHANGED"], "the job is not queued; the message names its status."),
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** DELETE /public/v1/jobs/{id} */
export function registerDeleteJob(router: PublicRouter) {
  router.openapi(deleteJobRoute, async (c) => {
    const id = jobIdOr404(c.req.valid("param").id);
    await removeQueuedJob(c.get("services"), keyActor(c), id);
    return json(c, { success: true as const, data: { id, deleted: true as const } }, 200);
  });
}
