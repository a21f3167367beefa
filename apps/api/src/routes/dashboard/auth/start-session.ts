import { mintSessionToken, sessionExpiry } from "@apf/auth";
import type { Queryable } from "@apf/db";
import { insertSession } from "@apf/db/queries/sessions";
import type { AuditedRequest } from "../../../services/audit.ts";

/** Mints a session for `userId` and stores its hash; returns the token, to be shown once. */
export async function startSession(
  db: Queryable,
  c: AuditedRequest & { var: { services: { clock: { now(): Date } } } },
  userId: string,
): Promise<string> {
  const minted = mintSessionToken();
  const now = c.var.services.clock.now();
  await insertSession(db, {
    userId,
    tokenHash: minted.hash,
    ip: c.var.clientIp ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
    now,
    expiresAt: sessionExpiry(now),
  });
  return minted.token;
}
