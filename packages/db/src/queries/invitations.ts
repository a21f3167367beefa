import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { invitations, memberships, type Role } from "../schema/index.ts";

/** How long an invitation can be accepted after it was (last) issued. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** When an invitation issued at `createdAt` stops opening the organization. */
export function invitationExpiresAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + INVITATION_TTL_MS);
}

// Never the token hash: nothing that lists or returns an invitation needs it.
const invitationColumns = {
  id: invitations.id,
  email: invitations.email,
  role: invitations.role,
  invitedBy: invitations.invitedBy,
  createdAt: invitations.createdAt,
};

/** The organization's pending invitation for `email`, or undefined. */
export async function findPendingInvitation(db: Queryable, organizationId: string, email: string) {
  const [row] = await db
    .select(invitationColumns)
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        eq(invitations.email, email.toLowerCase()),
        isNull(invitations.acceptedAt),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Records a pending invitation for an email, with the hash of its token, issued at `at`.
 * An invitation already there for that email (pending or accepted) is issued again: new role,
 * inviter, date and token hash, so that the previous token no longer works and its 7 days
 * start again.
 */
export async function issueInvitation(
  db: Queryable,
  input: {
    organizationId: string;
    email: string;
    role: Role;
    invitedBy: string;
    tokenHash: string;
    at: Date;
  },
) {
  const [row] = await db
    .insert(invitations)
    .values({
      organizationId: input.organizationId,
      email: input.email.toLowerCase(),
      role: input.role,
      invitedBy: input.invitedBy,
      tokenHash: input.tokenHash,
      createdAt: input.at,
    })
    .onConflictDoUpdate({
      target: [invitations.organizationId, invitations.email],
      set: {
        role: input.role,
        invitedBy: input.invitedBy,
        tokenHash: input.tokenHash,
        createdAt: input.at,
        acceptedAt: null,
      },
    })
    .returning(invitationColumns);
  return row!;
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
 * Accepts the one pending invitation whose token hashes to `tokenHash`, if it was issued to
 * `email` less than 7 days before `at`: marks it accepted and makes `userId` a member with its
 * role. Undefined when no pending invitation matches (a wrong, used, withdrawn, re-issued or
 * expired token, or another email); the
 * conditional update is what makes a token single-use, even for two requests at once.
 * Someone already a member keeps the role they have (`role` is that role, `joined` false).
 */
export async function claimInvitation(
  db: Queryable,
  input: { tokenHash: string; email: string; userId: string; at: Date },
) {
  const [claimed] = await db
    .update(invitations)
    .set({ acceptedAt: input.at })
    .where(
      and(
        eq(invitations.tokenHash, input.tokenHash),
        eq(invitations.email, input.email.toLowerCase()),
        isNull(invitations.acceptedAt),
        gt(invitations.createdAt, new Date(input.at.getTime() - INVITATION_TTL_MS)),
      ),
    )
    .returning({
      id: invitations.id,
      organizationId: invitations.organizationId,
      role: invitations.role,
    });
  if (!claimed) return undefined;
  const [joined] = await db
    .insert(memberships)
    .values({ organizationId: claimed.organizationId, userId: input.userId, role: claimed.role })
    .onConflictDoNothing()
    .returning({ role: memberships.role });
  if (joined) return { ...claimed, joined: true };
  const [existing] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.organizationId, claimed.organizationId),
        eq(memberships.userId, input.userId),
      ),
    );
  return { ...claimed, role: existing!.role, joined: false };
}
