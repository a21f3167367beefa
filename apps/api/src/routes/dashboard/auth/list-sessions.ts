import { listLiveSessions } from "@apf/db/queries/sessions";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../../../context.ts";
import {
  dataResponse,
  errors,
  iso,
  ok,
  SESSION_SECURITY,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";

const sessionSchema = z.object({
  id: z.uuid(),
  created_at: timestamp(),
  last_used_at: timestamp(),
  expires_at: timestamp(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  current: z.boolean().openapi({ description: "True for the session making this request." }),
});

export const route = createRoute({
  method: "get",
  path: "/auth/sessions",
  operationId: "dashboardListSessions",
  tags: TAGS,
  summary: "List one's live sessions",
  description:
    "Every session of the signed-in user that has not ended or expired, newest first. Never a token or its hash. `last_used_at` is updated at most hourly.",
  security: SESSION_SECURITY,
  responses: {
    200: dataResponse(z.array(sessionSchema), "The user's live sessions."),
    ...errors(401),
  },
});

export const handler: RouteHandler<typeof route, SessionEnv> = async (c) => {
  const { db, clock } = c.get("services");
  const session = c.get("session");
  const rows = await listLiveSessions(db, session.userId, clock.now());
  return json(
    c,
    ok(
      rows.map((s) => ({
        id: s.id,
        created_at: iso(s.createdAt),
        last_used_at: iso(s.lastSeenAt),
        expires_at: iso(s.expiresAt),
        ip: s.ip,
        user_agent: s.userAgent,
        current: s.id === session.sessionId,
      })),
    ),
    200,
  );
};
