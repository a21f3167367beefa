import { hashPassword, verifyPassword } from "@apf/auth";
import { findUserById, updatePasswordHash } from "@apf/db/queries/users";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { endOtherSessions } from "../../../modules/members/end-other-sessions.ts";
import { loginSucceeded, reserveLoginAttempt } from "../../../modules/members/sign-in-throttle.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";
import { password } from "./signup.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/password",
  operationId: "dashboardChangePassword",
  tags: TAGS,
  summary: "Change one's password; every other session ends",
  description:
    "Needs the current password (a wrong one is 401 INVALID_CREDENTIALS and counts as a failed sign-in attempt). The new password follows the sign-up policy. Every other session of the user ends at once; this one stays. Audited as auth.password_changed.",
  security: SESSION_SECURITY,
  request: {
    body: jsonBody(
      z
        .object({
          current_password: z.string().min(1, "is required").max(1000, "is too long"),
          new_password: password,
        })
        .strict(),
    ),
  },
  responses: {
    200: dataResponse(
      z.object({ changed: z.literal(true), sessions_ended: z.number().int() }),
      "The password was changed and the user's other sessions ended.",
    ),
    ...errors(400, 401, 403, 429),
  },
});

export const handler: RouteHandler<typeof route, SessionEnv> = async (c) => {
  const body = c.req.valid("json");
  const services = c.get("services");
  const { db, clock } = services;
  const session = c.get("session");
  await reserveLoginAttempt(services, session.email, c.get("clientIp"));
  const user = await findUserById(db, session.userId);
  if (!user || !(await verifyPassword(user.passwordHash, body.current_password))) {
    throw new ApiError("INVALID_CREDENTIALS", "current_password is wrong.");
  }
  await loginSucceeded(services, session.email, c.get("clientIp"));
  const passwordHash = await hashPassword(body.new_password);
  const ended = await db.transaction(async (tx) => {
    const now = clock.now();
    await updatePasswordHash(tx, user.id, passwordHash, now);
    return endOtherSessions(tx, session, "auth.password_changed", {
      origin: c.get("actor"),
      now,
    });
  });
  return json(c, ok({ changed: true as const, sessions_ended: ended }), 200);
};
