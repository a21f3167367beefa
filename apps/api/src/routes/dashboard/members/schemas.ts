import { ROLES, type Role } from "@apf/db";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../openapi/kit.ts";

export const roleSchema = z.enum(ROLES);

export const memberSchema = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }),
  role: roleSchema,
  created_at: timestamp(),
});

export function toMember(m: {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
}) {
  return {
    user: { id: m.userId, email: m.email, name: m.name },
    role: m.role,
    created_at: iso(m.createdAt),
  };
}

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  invited_by: z.uuid().nullable(),
  created_at: timestamp(),
});

export function toInvitation(i: {
  id: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
}) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    invited_by: i.invitedBy,
    created_at: iso(i.createdAt),
  };
}

/** An invitation as its issuing response shows it: the only place its token ever appears. */
export const issuedInvitationSchema = invitationSchema.extend({
  accept_token: z.string().openapi({
    description:
      "apf_inv_ token: give this to the invitee; it is shown only once. They send it as `invitation_token` to POST /api/auth/signup, or to POST /api/invitations/accept once signed in. Issuing the invitation again replaces it.",
    example: "apf_inv_<43 base64url characters>",
  }),
});
