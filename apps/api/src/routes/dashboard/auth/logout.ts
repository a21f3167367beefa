import { revokeSession } from "@apf/db/queries/sessions";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../../../context.ts";
import { clearSessionCookie } from "../../../middleware/session-auth.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "dashboardLogout",
  tags: TAGS,
  summary: "End the current session",
  security: SESSION_SECURITY,
  responses: {
    200: dataResponse(
      z.object({ signed_out: z.literal(true) }),
      "The session is ended on every instance at once; the cookie is cleared.",
    ),
    ...errors(401, 403),
  },
});

export const handler: RouteHandler<typeof route, SessionEnv> = async (c) => {
  const { db, clock } = c.get("services");
  await revokeSession(db, c.get("session").sessionId, clock.now());
  clearSessionCookie(c);
  return json(c, ok({ signed_out: true as const }), 200);
};
