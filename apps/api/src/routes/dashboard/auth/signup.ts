import { checkPasswordPolicy, hashPassword, PASSWORD_MAX, PASSWORD_MIN } from "@apf/auth";
import { createAccount, findUserByEmail } from "@apf/db/queries";
import { claimInvitations } from "@apf/db/queries/invitations";
import { isUniqueViolation } from "@apf/db/queries/users";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { refuseCrossOrigin } from "../../../middleware/csrf.ts";
import { setSessionCookie } from "../../../middleware/session-auth.ts";
import { auditOrigin, recordAudit } from "../../../services/audit.ts";
import { email, text } from "../fields.ts";
import { dataResponse, errors, iso, jsonBody, ok, TAGS, timestamp } from "../openapi.ts";
import { sessionTokenSchema, toUser, userSchema } from "./schemas.ts";
import { startSession } from "./start-session.ts";
import { reserveSignup } from "./throttle.ts";

/** A password as the policy counts it (code points), never echoed in an error. */
export const password = z
  .string()
  .refine((v) => checkPasswordPolicy(v).ok, `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`)
  .openapi({ format: "password", minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });

const signupOpen = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.services.config.APF_SIGNUP === "closed") {
    throw new ApiError(
      "FORBIDDEN",
      "Sign-up is closed on this server; ask an owner to invite you.",
    );
  }
  await next();
});

export const route = createRoute({
  method: "post",
  path: "/auth/signup",
  operationId: "dashboardSignup",
  tags: TAGS,
  summary: "Create an account, its organization and a session",
  middleware: [signupOpen, refuseCrossOrigin] as const,
  request: {
    body: jsonBody(
      z
        .object({
          email,
          password,
          name: text(100).optional(),
          organization_name: text(100),
        })
        .strict(),
    ),
  },
  responses: {
    201: dataResponse(
      z.object({
        user: userSchema,
        organization: z.object({ id: z.uuid(), name: z.string(), created_at: timestamp }),
        session_token: sessionTokenSchema,
      }),
      "The account, its owner membership and a session (also set as the apf_session cookie).",
    ),
    ...errors(400, 403, 409, 429),
  },
});

const taken = () => new ApiError("CONFLICT", "An account with this email already exists.");

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db, clock } = c.var.services;
  await reserveSignup(c.var.services, c.var.clientIp);
  if (await findUserByEmail(db, body.email)) throw taken();
  const passwordHash = await hashPassword(body.password);
  const result = await db
    .transaction(async (tx) => {
      const { user, organization } = await createAccount(tx, {
        email: body.email,
        passwordHash,
        name: body.name ?? null,
        organizationName: body.organization_name,
      });
      const claimed = await claimInvitations(tx, user.id, user.email, clock.now());
      const token = await startSession(tx, c, user.id);
      const target = { type: "user", id: user.id };
      await recordAudit(tx, auditOrigin(c, { type: "user", id: user.id }), [
        {
          organizationId: organization.id,
          action: "auth.signup",
          target,
          details: { email: user.email },
        },
        ...claimed.map((i) => ({
          organizationId: i.organizationId,
          action: "invitation.accepted" as const,
          target,
          details: { email: user.email, role: i.role, invitation_id: i.id },
        })),
      ]);
      return { user, organization, token };
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "users_email_key")) throw taken();
      throw error;
    });
  setSessionCookie(c, result.token);
  return c.json(
    ok({
      user: toUser(result.user),
      organization: {
        id: result.organization.id,
        name: result.organization.name,
        created_at: iso(result.organization.createdAt),
      },
      session_token: result.token,
    }),
    201,
  );
};
