import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { invitations, memberships, type Role } from "../schema/index.ts";

const invitationColumns = {
  id: invitations.id,
  email: invitations.email,
  role: invitations.role,
  invitedBy: invitations.invitedBy,
  createdAt: invitations.createdAt,
};

/**
 * Records a pending invitation for an email without an account. Undefined when one is already
 * pending for that email in this organization (an accepted one is opened again).
 */
export async function createInvitation(
  db: Queryable,
  input: { organizationId: string; email: string; role: Role; invitedBy: string },
) {
  const [row] = await db
    .insert(invitations)
    .values({
      organizationId: input.organizationId,
      email: input.email.toLowerCase(),
      role: input.role,
      invitedBy: input.invitedBy,
    })
    .onConflictDoUpdate({
      target: [invitations.organizationId, invitations.email],
      set: {
        role: input.role,
        invitedBy: input.invitedBy,
        createdAt: sql`now()`,
        acceptedAt: null,
      },
      setWhere: isNotNull(invitations.acceptedAt),
    })
    .returning(invitationColumns);
  return row;
}

/** The organization's pending invitations, oldest first. */
export async function listPendingInvitations(db: Queryable, organizationId: string) {
  return db
    .select(invitationColumns)
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt)))
    .orderBy(asc(invitations.createdAt), asc(invitations.email));
}

/** Withdraws a pending invitation; undefined when the organization has no such pending one. */
export async function deletePendingInvitation(
  db: Queryable,
  organizationId: string,
  invitationId: string,
) {
  const [row] = await db
    .delete(invitations)
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        eq(invitations.id, invitationId),
        isNull(invitations.acceptedAt),
      ),
    )
    .returning(invitationColumns);
  return row;
}

/**
 * Turns every pending invitation for `email` into a membership of `userId` (at sign-up).
 * Returns the organizations joined, with the role each invitation carried.
 */
export async function claimInvitations(db: Queryable, userId: string, email: string, at: Date) {
  const claimed = await db
    .update(invitations)
    .set({ acceptedAt: at })
    .where(and(eq(invitations.email, email.toLowerCase()), isNull(invitations.acceptedAt)))
    .returning({
      id: invitations.id,
      organizationId: invitations.organizationId,
      role: invitations.role,
    });
  if (claimed.length > 0) {
    await db
      .insert(memberships)
      .values(
        claimed.map((i) => ({
          organizationId: i.organizationId,
          userId,
          role: i.role,
        })),
      )
      .onConflictDoNothing();
  }
  return claimed;
}
