import { ROLES } from "@apf/db";
import { listUserMemberships } from "@apf/db/queries/members";
import { findUserById } from "@apf/db/queries/users";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../openapi/kit.ts";
import { json } from "../../openapi/respond.ts";
import { toUser, userSchema } from "./auth/schemas.ts";
import { TAGS } from "./params.ts";

export const route = createRoute({
  method: "get",
  path: "/me",
  operationId: "dashboardGetMe",
  tags: TAGS,
  summary: "The signed-in user and their organizations",
  security: SESSION_SECURITY,
  responses: {
    200: dataResponse(
      z.object({
        user: userSchema,
        memberships: z.array(
          z.object({
            organization: z.object({ id: z.uuid(), name: z.string() }),
            role: z.enum(ROLES),
          }),
        ),
      }),
      "The user and every organization they belong to, with their role.",
    ),
    ...errors(401),
  },
});

export const handler: RouteHandler<typeof route, SessionEnv> = async (c) => {
  const { db } = c.get("services");
  const { userId } = c.get("session");
  const [user, memberships] = await Promise.all([
    findUserById(db, userId),
    listUserMemberships(db, userId),
  ]);
  if (!user) throw new ApiError("TOKEN_INVALID", "No such session; sign in again.");
  return json(
    c,
    ok({
      user: toUser(user),
      memberships: memberships.map((m) => ({ organization: m.organization, role: m.role })),
    }),
    200,
  );
};
