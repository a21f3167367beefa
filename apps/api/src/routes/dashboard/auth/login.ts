import {
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordAgainstNothing,
} from "@apf/auth";
import { findUserByEmail } from "@apf/db/queries";
import { listUserMemberships } from "@apf/db/queries/members";
import { updatePasswordHash } from "@apf/db/queries/users";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { requestActor, userAgentOf } from "../../../middleware/actor.ts";
import { refuseCrossOrigin } from "../../../middleware/csrf.ts";
import { setSessionCookie } from "../../../middleware/session-auth.ts";
import { type AuditEntry, recordAudit } from "../../../modules/audit/audit.ts";
import { startSession } from "../../../modules/members/sessions.ts";
import { loginSucceeded, reserveLoginAttempt } from "../../../modules/members/sign-in-throttle.ts";
import { dataResponse, errors, jsonBody, OPEN, ok } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";
import { sessionTokenSchema, toUser, userSchema } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/login",
  operationId: "dashboardLogin",
  tags: TAGS,
  summary: "Sign in with email and password",
  security: OPEN,
  middleware: [refuseCrossOrigin] as const,
  request: {
    body: jsonBody(
      z
        .object({
          // Not checked as an email: anything unknown is simply wrong credentials.
          email: z.string().trim().toLowerCase().min(1, "is required").max(254),
          password: z.string().min(1, "is required").max(1000, "is too long"),
        })
        .strict(),
    ),
  },
  responses: {
    200: dataResponse(
      z.object({ user: userSchema, session_token: sessionTokenSchema }),
      "A new session (also set as the apf_session cookie).",
    ),
    ...errors(400, 401, 429),
  },
});

/** One event per organization of the user, so each organization's owners see it. */
function signInEvents(
  action: "auth.login_succeeded" | "auth.login_failed",
  email: string,
  userId: string | null,
  organizationIds: string[],
): AuditEntry[] {
  const target = userId ? { type: "user", id: userId } : null;
  const orgs = organizationIds.length > 0 ? organizationIds : [null];
  return orgs.map((organizationId) => ({ organizationId, action, target, details: { email } }));
}

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const services = c.get("services");
  const { db, clock } = services;
  await reserveLoginAttempt(services, body.email, c.get("clientIp"));
  const user = await findUserByEmail(db, body.email);
  const verified = user
    ? await verifyPassword(user.passwordHash, body.password)
    : await verifyPasswordAgainstNothing(body.password);
  const orgIds = user ? (await listUserMemberships(db, user.id)).map((m) => m.organization.id) : [];
  if (!user || !verified) {
    await recordAudit(
      db,
      requestActor(c, "anonymous", null, null),
      signInEvents("auth.login_failed", body.email, user?.id ?? null, orgIds),
    );
    throw new ApiError("INVALID_CREDENTIALS", "Wrong email or password.");
  }
  await loginSucceeded(services, body.email, c.get("clientIp"));
  if (passwordNeedsRehash(user.passwordHash)) {
    await updatePasswordHash(db, user.id, await hashPassword(body.password), clock.now());
  }
  const now = clock.now();
  const token = await db.transaction(async (tx) => {
    const session = await startSession(tx, {
      userId: user.id,
      ip: c.get("clientIp") ?? null,
      userAgent: userAgentOf(c),
      now,
    });
    await recordAudit(
      tx,
      requestActor(c, "user", user.id, null),
      signInEvents("auth.login_succeeded", user.email, user.id, orgIds),
    );
    return session;
  });
  setSessionCookie(c, token, { createdAt: now, now });
  return json(c, ok({ user: toUser(user), session_token: token }), 200);
};
