import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { sessions, users } from "../schema/index.ts";

export interface NewSession {
  userId: string;
  /** SHA-256 of the apf_sess_ token; the token itself is never stored. */
  tokenHash: string;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  expiresAt: Date;
}

/** Stores a new dashboard session. */
export async function insertSession(db: Queryable, input: NewSession) {
  const [row] = await db
    .insert(sessions)
    .values({
      userId: input.userId,
      tokenHash: input.tokenHash,
      ip: input.ip,
      userAgent: input.userAgent,
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: input.expiresAt,
    })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  return row!;
}

/** The session with this token hash and its user's email, ended or not; undefined when none. */
export async function findSessionByTokenHash(db: Queryable, tokenHash: string) {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      email: users.email,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** Slides a live session's idle expiry forward. */
export async function touchSession(
  db: Queryable,
  sessionId: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: now, expiresAt })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends a session; ending it twice keeps the first time. */
export async function revokeSession(db: Queryable, sessionId: string, at: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** The user's live sessions at `now` (not ended, not expired), newest first. Never the hash. */
export async function listLiveSessions(db: Queryable, userId: string, now: Date) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id));
}

/** Ends every live session of the user but `keepSessionId`; returns how many it ended. */
export async function revokeOtherSessions(
  db: Queryable,
  userId: string,
  keepSessionId: string,
  at: Date,
): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(
      and(
        eq(sessions.userId, userId),
        ne(sessions.id, keepSessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, at),
      ),
    )
    .returning({ id: sessions.id });
  return ended.length;
}
