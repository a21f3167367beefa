import { createRoute } from "@hono/zod-openapi";
import { completeWorklistTask } from "../../../../modules/print-queue/worklist.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyActor, queueError } from "../jobs/queue-schema.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { TaskSchema, toPublicTask } from "./schema.ts";

export const completeWorklistRoute = createRoute({
  method: "post",
  path: "/worklist/{id}/complete",
  operationId: "completeWorklistTask",
  tags: ["Worklist"],
  summary: "Complete a worklist task",
  ...keyOperation(
    "worklist:write",
    "Completes a pending or in-progress task. Completing a `collection` task records its printer's bed as cleared: the printer is ready for its next job.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The task, completed.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(TaskSchema) } },
    },
    409: queueError(["CONFLICT"], "the task is not open any more; the message names its status."),
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** POST /public/v1/worklist/{id}/complete */
export function registerCompleteWorklistTask(router: PublicRouter) {
  router.openapi(completeWorklistRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const actor = keyActor(c);
    const task = await findOr404(id, "Task", (taskId) =>
      completeWorklistTask(services, actor, taskId),
    );
    return json(c, { success: true as const, data: toPublicTask(task) }, 200);
  });
}
