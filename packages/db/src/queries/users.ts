import { eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { users } from "../schema/index.ts";

/** The user with this id, or undefined. */
export async function findUserById(db: Queryable, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return user;
}

/** Replaces a user's password hash (after a rehash with today's argon2 parameters). */
export async function updatePasswordHash(
  db: Queryable,
  userId: string,
  passwordHash: string,
  at: Date,
): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: at }).where(eq(users.id, userId));
}

function sqlState(error: unknown): { code?: string; constraint?: string } | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === "string") {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === "string" ? candidate.constraint : undefined,
      };
    }
    e = candidate.cause;
  }
  return undefined;
}

/**
 * Whether `error` is a Postgres unique violation (SQLSTATE 23505), on either driver and through
 * drizzle's error wrapper; with `constraint`, only a violation of that index counts.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const state = sqlState(error);
  if (state?.code !== "23505") return false;
  return (
    constraint === undefined || state.constraint === undefined || state.constraint === constraint
  );
}
