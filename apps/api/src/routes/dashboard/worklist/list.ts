import { listTasks } from "@apf/db/queries/tasks";
import { TASK_STATUSES, TASK_TYPES } from "@apf/domain";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TaskSchema, toPublicTask } from "../../public/v1/worklist/schema.ts";
import { orgParams, TAGS } from "../params.ts";

const LIMIT = "must be a whole number from 1 to 100";
const OFFSET = "must be a whole number from 0 to 1000000";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/worklist",
  operationId: "dashboardListWorklist",
  tags: TAGS,
  summary: "The worklist: beds to clear and other tasks, newest first (any member)",
  security: SESSION_SECURITY,
  request: {
    params: orgParams,
    query: z.object({
      status: z
        .enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(", ")}` })
        .optional(),
      task_type: z
        .enum(TASK_TYPES, { error: `must be one of ${TASK_TYPES.join(", ")}` })
        .optional(),
      limit: z.coerce.number().int(LIMIT).min(1, LIMIT).max(100, LIMIT).default(50),
      offset: z.coerce.number().int(OFFSET).min(0, OFFSET).max(1_000_000, OFFSET).default(0),
    }),
  },
  responses: {
    200: {
      description: "A page of tasks (the public worklist item) and the total count of matches.",
      content: {
        "application/json": {
          schema: z.object({
            success: z.literal(true),
            data: z.array(TaskSchema),
            meta: z.object({ limit: z.number(), offset: z.number(), count: z.number() }),
          }),
        },
      },
    },
    ...errors(400, 401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { status, task_type, limit, offset } = c.req.valid("query");
  const { rows, count } = await listTasks(
    c.get("services").db,
    c.get("org").organizationId,
    { status, taskType: task_type },
    { limit, offset },
  );
  return json(c, { ...ok(rows.map(toPublicTask)), meta: { limit, offset, count } }, 200);
};
