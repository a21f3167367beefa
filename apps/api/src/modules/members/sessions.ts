import { mintSessionToken, sessionExpiry } from "@apf/auth";
import type { Queryable } from "@apf/db";
import { insertSession } from "@apf/db/queries/sessions";

/** Who a new session is for and where it was opened from. */
export interface NewSession {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  now: Date;
}

/** Mints a session and stores its hash; returns the token, to be shown once. */
export async function startSession(db: Queryable, session: NewSession): Promise<string> {
  const minted = mintSessionToken();
  await insertSession(db, {
    userId: session.userId,
    tokenHash: minted.hash,
    ip: session.ip,
    userAgent: session.userAgent,
    now: session.now,
    expiresAt: sessionExpiry(session.now),
  });
  return minted.token;
}
