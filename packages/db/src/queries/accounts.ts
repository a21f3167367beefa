import { eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { memberships, organizations, users } from "../schema/index.ts";

export interface NewAccount {
  email: string;
  passwordHash: string;
  name?: string | null;
  organizationName: string;
}

/** Creates a user, an organization and the user's owner membership, in one transaction. */
export async function createAccount(db: Queryable, input: NewAccount) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email: input.email.toLowerCase(),
        passwordHash: input.passwordHash,
        name: input.name ?? null,
      })
      .returning();
    const [organization] = await tx
      .insert(organizations)
      .values({ name: input.organizationName })
      .returning();
    await tx
      .insert(memberships)
      .values({ organizationId: organization!.id, userId: user!.id, role: "owner" });
    return { user: user!, organization: organization! };
  });
}

/** The user with this email (case-insensitive), or undefined. */
export async function findUserByEmail(db: Queryable, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user;
}
