import { listTasks } from "@apf/db/queries/tasks";
import { TASK_STATUSES, TASK_TYPES } from "@apf/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { MAX_OFFSET, oneOf, wholeNumberOr } from "../params.ts";
import { TaskSchema, toPublicTask } from "./schema.ts";

const query = z.object({
  status: oneOf(TASK_STATUSES, "Only tasks in this status."),
  task_type: oneOf(TASK_TYPES, "Only tasks of this type."),
  limit: wholeNumberOr(50, 1, 100, "Page size, 1 to 100."),
  offset: wholeNumberOr(0, 0, MAX_OFFSET, "Tasks to skip."),
});

export const listWorklistRoute = createRoute({
  method: "get",
  path: "/worklist",
  operationId: "listWorklist",
  tags: ["Worklist"],
  summary: "List worklist tasks",
  ...keyOperation(
    "worklist:read",
    "The technicians' tasks, newest first: a `collection` task appears when a job ends (the bed must be cleared before the printer takes its next job).",
  ),
  request: { query },
  responses: {
    200: {
      description: "One page of tasks and `meta` (always).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(TaskSchema, "always") } },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/worklist */
export function registerListWorklist(router: PublicRouter) {
  router.openapi(listWorklistRoute, async (c) => {
    const q = c.req.valid("query");
    const page = { limit: q.limit, offset: q.offset };
    const { rows, count } = await listTasks(
      c.get("services").db,
      c.get("apiKey").organizationId,
      { status: q.status, taskType: q.task_type },
      page,
    );
    return json(
      c,
      { success: true as const, data: rows.map(toPublicTask), meta: { ...page, count } },
      200,
    );
  });
}
