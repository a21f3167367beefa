import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { completeWorklistTask } from "../../../modules/print-queue/worklist.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TaskSchema, toPublicTask } from "../../public/v1/worklist/schema.ts";
import { memberActor } from "../jobs/queue.ts";
import { orgParamsWith, TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/worklist/{taskId}/complete",
  operationId: "dashboardCompleteWorklistTask",
  tags: TAGS,
  summary: "Complete a worklist task; a collection task clears its printer's bed (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("taskId") },
  responses: {
    200: dataResponse(TaskSchema, "The task, completed."),
    ...errors(401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { taskId } = c.req.valid("param");
  const task = await completeWorklistTask(c.get("services"), memberActor(c), taskId);
  return json(c, ok(toPublicTask(task)), 200);
};
