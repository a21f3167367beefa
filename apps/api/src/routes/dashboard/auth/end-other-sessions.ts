import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../../../context.ts";
import { endOtherSessions } from "../../../modules/members/end-other-sessions.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";

export const route = createRoute({
  method: "delete",
  path: "/auth/sessions",
  operationId: "dashboardEndOtherSessions",
  tags: TAGS,
  summary: "End every session but this one",
  description:
    "Signs the user out everywhere else, on every instance at once. Audited as auth.sessions_ended.",
  security: SESSION_SECURITY,
  responses: {
    200: dataResponse(
      z.object({ sessions_ended: z.number().int() }),
      "How many other sessions were ended.",
    ),
    ...errors(401, 403),
  },
});

export const handler: RouteHandler<typeof route, SessionEnv> = async (c) => {
  const { db, clock } = c.get("services");
  const session = c.get("session");
  const ended = await db.transaction((tx) =>
    endOtherSessions(tx, session, "auth.sessions_ended", {
      origin: c.get("actor"),
      now: clock.now(),
    }),
  );
  return json(c, ok({ sessions_ended: ended }), 200);
};
