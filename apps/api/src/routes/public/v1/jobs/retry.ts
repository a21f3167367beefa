import { createRoute } from "@hono/zod-openapi";
import { retryJob } from "../../../../modules/print-queue/operations.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { currentJob, jobIdOr404, keyActor, queueError } from "./queue-schema.ts";
import { JobSchema } from "./schema.ts";

export const retryJobRoute = createRoute({
  method: "post",
  path: "/jobs/{id}/retry",
  operationId: "retryJob",
  tags: ["Jobs"],
  summary: "Queue a failed or cancelled job again",
  ...keyOperation(
    "jobs:write",
    "A `failed` or `cancelled` job of a print file goes back to the bottom of the queue (`queued`); `attempts` is kept.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The job, queued again.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(JobSchema) } },
    },
    409: queueError(
      ["JOB_STATE_CHANGED"],
      "the job is not failed or cancelled (the message names its status), or was not queued from a print file.",
    ),
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** POST /public/v1/jobs/{id}/retry */
export function registerRetryJob(router: PublicRouter) {
  router.openapi(retryJobRoute, async (c) => {
    const id = jobIdOr404(c.req.valid("param").id);
    const services = c.get("services");
    const actor = keyActor(c);
    await retryJob(services, actor, id);
    return json(
      c,
      { success: true as const, data: await currentJob(services.db, actor.organizationId, id) },
      200,
    );
  });
}
