import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents, type RevokedReason } from "../schema/index.ts";

export interface NewAgent {
  organizationId: string;
  name: string;
  tokenHash: string;
  preview: string;
  createdBy?: string | null;
}

/** Stores a new agent (its token's hash and preview only). */
export async function insertAgent(db: Queryable, input: NewAgent) {
  const [row] = await db
    .insert(agents)
    .values({ ...input, createdBy: input.createdBy ?? null })
    .returning();
  return row!;
}

/**
 * Revokes an agent of this organization (no longer connected: it cannot report again);
 * idempotent. Undefined when there is no such agent.
 */
export async function revokeAgent(
  db: Queryable,
  organizationId: string,
  agentId: string,
  at: Date,
  reason: RevokedReason = "manual",
) {
  const [revoked] = await db
    .update(agents)
    .set({ revokedAt: at, revokedReason: reason, connected: false })
    .where(
      and(
        eq(agents.organizationId, organizationId),
        eq(agents.id, agentId),
        isNull(agents.revokedAt),
      ),
    )
    .returning();
  if (revoked) return revoked;
  const [existing] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.organizationId, organizationId), eq(agents.id, agentId)))
    .limit(1);
  return existing;
}

/** Whether the agent's token is revoked (or the agent is gone). */
export async function isAgentRevoked(db: Queryable, agentId: string): Promise<boolean> {
  const [row] = await db
    .select({ revokedAt: agents.revokedAt })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  return !row || row.revokedAt !== null;
}
