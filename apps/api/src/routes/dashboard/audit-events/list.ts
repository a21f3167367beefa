import { ACTOR_TYPES } from "@apf/db";
import { listAuditEvents } from "@apf/db/queries/audit-events";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { errors, iso, ok, SESSION_SECURITY, timestamp } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParams, TAGS } from "../params.ts";

const eventSchema = z.object({
  id: z.uuid(),
  action: z.string().openapi({ example: "api_key.created" }),
  actor: z.object({ type: z.enum(ACTOR_TYPES), id: z.string().nullable() }),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  created_at: timestamp(),
  details: z.record(z.string(), z.unknown()),
});

const LIMIT = "must be a whole number from 1 to 100";
const ACTION = "must be an action such as api_key.created, or a family such as api_key";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/audit-events",
  operationId: "dashboardListAuditEvents",
  tags: TAGS,
  summary: "The organization's audit log, newest first (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParams,
    query: z.object({
      limit: z.coerce.number().int(LIMIT).min(1, LIMIT).max(100, LIMIT).default(50),
      offset: z.coerce
        .number()
        .int("must be a whole number ≥ 0")
        .min(0, "must be a whole number ≥ 0")
        .default(0),
      action: z
        .string()
        .max(100, ACTION)
        .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)*$/, ACTION)
        .optional()
        .openapi({
          description:
            "Only this action, or every action of this family (`api_key` → `api_key.…`).",
          example: "api_key",
        }),
    }),
  },
  responses: {
    200: {
      description: "A page of events and the total count.",
      content: {
        "application/json": {
          schema: z.object({
            success: z.literal(true),
            data: z.array(eventSchema),
            meta: z.object({ limit: z.number(), offset: z.number(), count: z.number() }),
          }),
        },
      },
    },
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { limit, offset, action } = c.req.valid("query");
  const { rows, count } = await listAuditEvents(c.get("services").db, c.get("org").organizationId, {
    limit,
    offset,
    action,
  });
  const data = rows.map((e) => ({
    id: e.id,
    action: e.action,
    actor: { type: e.actorType, id: e.actorId },
    target: { type: e.targetType, id: e.targetId },
    ip: e.ip,
    user_agent: e.userAgent,
    created_at: iso(e.createdAt),
    details: e.details,
  }));
  return json(c, { ...ok(data), meta: { limit, offset, count } }, 200);
};
