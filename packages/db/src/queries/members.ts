import { and, asc, count, eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { memberships, organizations, type Role, users } from "../schema/index.ts";

/** The user's role in the organization, or undefined when they are not a member. */
export async function findMembership(db: Queryable, organizationId: string, userId: string) {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

/** Every organization the user belongs to, with their role, oldest membership first. */
export async function listUserMemberships(db: Queryable, userId: string) {
  return db
    .select({
      organization: { id: organizations.id, name: organizations.name },
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(organizations.id));
}

const memberColumns = {
  userId: memberships.userId,
  email: users.email,
  name: users.name,
  role: memberships.role,
  createdAt: memberships.createdAt,
};

/** The organization's members with their email and name, oldest first. */
export async function listMembers(db: Queryable, organizationId: string) {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(memberships.createdAt), asc(users.email));
}

/** One member of the organization, or undefined. */
export async function findMember(db: Queryable, organizationId: string, userId: string) {
  const [row] = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

/** Adds a membership; false when the user already belongs to the organization. */
export async function addMember(
  db: Queryable,
  input: { organizationId: string; userId: string; role: Role },
): Promise<boolean> {
  const rows = await db
    .insert(memberships)
    .values({
      organizationId: input.organizationId,
      userId: input.userId,
      role: input.role,
    })
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

/** Changes a member's role. */
export async function setMemberRole(
  db: Queryable,
  organizationId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
}

/** Removes a member. */
export async function removeMember(
  db: Queryable,
  organizationId: string,
  userId: string,
): Promise<void> {
  await db
    .delete(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
}

/** How many owners the organization has. */
export async function countOwners(db: Queryable, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner")));
  return row?.n ?? 0;
}
