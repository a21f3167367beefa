import {
  checkPasswordPolicy,
  hashPassword,
  isInvitationToken,
  PASSWORD_MAX,
  PASSWORD_MIN,
  PASSWORD_POLICY_MESSAGES,
} from "@apf/auth";
import { createAccount, findUserByEmail } from "@apf/db/queries";
import { isUniqueViolation } from "@apf/db/queries/users";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { requestActor, userAgentOf } from "../../../middleware/actor.ts";
import { refuseCrossOrigin } from "../../../middleware/csrf.ts";
import { setSessionCookie } from "../../../middleware/session-auth.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import { acceptInvitation } from "../../../modules/members/invitations.ts";
import { startSession } from "../../../modules/members/sessions.ts";
import { reserveSignup } from "../../../modules/members/sign-in-throttle.ts";
import {
  dataResponse,
  email,
  errors,
  iso,
  jsonBody,
  OPEN,
  ok,
  text,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { invalidField } from "../../../openapi/validation.ts";
import { TAGS } from "../params.ts";
import { sessionTokenSchema, toUser, userSchema } from "./schemas.ts";

/** A password as the policy counts it (code points), never echoed in an error. */
export const password = z
  .string()
  .superRefine((value, ctx) => {
    const checked = checkPasswordPolicy(value);
    if (!checked.ok)
      ctx.addIssue({ code: "custom", message: PASSWORD_POLICY_MESSAGES[checked.reason] });
  })
  .openapi({
    format: "password",
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    description:
      "10 to 200 characters, not only whitespace or control characters, not one of the 10,000 most common passwords.",
  });

const signupOpen = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("services").config.APF_SIGNUP === "closed") {
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
  security: OPEN,
  description:
    "With `invitation_token` (the `accept_token` an owner or admin was given when inviting this email), the new account also joins the inviting organization with the invitation's role. Without it, no invitation is claimed: an email address alone proves nothing. A token that is wrong, used, withdrawn, re-issued or issued to another email is a 400 naming `invitation_token`, and nothing is created.",
  middleware: [signupOpen, refuseCrossOrigin] as const,
  request: {
    body: jsonBody(
      z
        .object({
          email,
          password,
          name: text(100).optional(),
          organization_name: text(100),
          invitation_token: z
            .string()
            .max(200, "is too long")
            .optional()
            .openapi({ example: "apf_inv_<43 base64url characters>" }),
        })
        .strict(),
    ),
  },
  responses: {
    201: dataResponse(
      z.object({
        user: userSchema,
        organization: z.object({ id: z.uuid(), name: z.string(), created_at: timestamp() }),
        session_token: sessionTokenSchema,
      }),
      "The account, its owner membership and a session (also set as the apf_session cookie).",
    ),
    ...errors(400, 403, 409, 429),
  },
});

const taken = () => new ApiError("CONFLICT", "An account with this email already exists.");
const noSuchInvitation = () =>
  invalidField(
    "json",
    ["invitation_token"],
    "no pending invitation for this email has this token.",
  );

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db } = c.get("services");
  await reserveSignup(c.get("services"), c.get("clientIp"));
  if (await findUserByEmail(db, body.email)) throw taken();
  const invitationToken = body.invitation_token;
  if (invitationToken !== undefined && !isInvitationToken(invitationToken)) {
    throw noSuchInvitation();
  }
  const passwordHash = await hashPassword(body.password);
  const result = await db
    .transaction(async (tx) => {
      const { user, organization } = await createAccount(tx, {
        email: body.email,
        passwordHash,
        name: body.name ?? null,
        organizationName: body.organization_name,
      });
      await recordAudit(tx, requestActor(c, "user", user.id, organization.id), {
        organizationId: organization.id,
        action: "auth.signup",
        target: { type: "user", id: user.id },
        details: { email: user.email },
      });
      // Thrown inside the transaction: a refused token leaves no account behind.
      if (
        invitationToken !== undefined &&
        !(await acceptInvitation(tx, invitationToken, user, {
          origin: requestActor(c, "user", user.id, null),
          now: c.get("services").clock.now(),
        }))
      ) {
        throw noSuchInvitation();
      }
      const now = c.get("services").clock.now();
      const token = await startSession(tx, {
        userId: user.id,
        ip: c.get("clientIp") ?? null,
        userAgent: userAgentOf(c),
        now,
      });
      return { user, organization, token, now };
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "users_email_key")) throw taken();
      throw error;
    });
  setSessionCookie(c, result.token, { createdAt: result.now, now: result.now });
  return json(
    c,
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
