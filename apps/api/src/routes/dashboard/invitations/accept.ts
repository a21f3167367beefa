import { ROLES } from "@apf/db";
import { findOrganization } from "@apf/db/queries/organizations";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { acceptInvitation } from "../../../modules/members/invitations.ts";
import {
  invitationAccepted,
  reserveInvitationAttempt,
} from "../../../modules/members/sign-in-throttle.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/invitations/accept",
  operationId: "dashboardAcceptInvitation",
  tags: TAGS,
  summary: "Accept an invitation with its token (signed-in user)",
  description:
    "For someone who already has an account (or signed up without the token): the `accept_token` the inviter was given, for a pending invitation to the signed-in user's email, makes them a member with the invitation's role (someone already a member keeps their role). A token works once. Wrong, used, withdrawn or re-issued tokens and invitations to another email all answer 404; failed attempts count against the address's sign-in limit (429 beyond it).",
  security: SESSION_SECURITY,
  request: {
    body: jsonBody(
      z
        .object({
          token: z
            .string()
            .min(1, "is required")
            .max(200, "is too long")
            .openapi({ example: "apf_inv_<43 base64url characters>" }),
        })
        .strict(),
    ),
  },
  responses: {
    200: dataResponse(
      z.object({
        organization: z.object({ id: z.uuid(), name: z.string() }),
        role: z.enum(ROLES),
      }),
      "The organization joined and the user's role in it.",
    ),
    ...errors(400, 401, 403, 404, 429),
  },
});

export const handler: RouteHandler<typeof route, SessionEnv> = async (c) => {
  const { token } = c.req.valid("json");
  const services = c.get("services");
  const { userId, email } = c.get("session");
  await reserveInvitationAttempt(services, c.get("clientIp"));
  const result = await services.db.transaction(async (tx) => {
    const claimed = await acceptInvitation(
      tx,
      token,
      { id: userId, email },
      { origin: c.get("actor"), now: services.clock.now() },
    );
    if (!claimed) return undefined;
    const organization = await findOrganization(tx, claimed.organizationId);
    return { organization: { id: organization!.id, name: organization!.name }, role: claimed.role };
  });
  if (!result) throw new ApiError("NOT_FOUND", "No pending invitation for you with this token.");
  await invitationAccepted(services, c.get("clientIp"));
  return json(c, ok(result), 200);
};
