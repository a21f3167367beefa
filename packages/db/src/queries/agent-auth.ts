import { eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents } from "../schema/index.ts";

/** The agent whose token has this SHA-256 hash, revoked or not; undefined when none. */
export async function findAgentByTokenHash(db: Queryable, tokenHash: string) {
  const [agent] = await db
    .select({ id: agents.id, organizationId: agents.organizationId, revokedAt: agents.revokedAt })
    .from(agents)
    .where(eq(agents.tokenHash, tokenHash))
    .limit(1);
  return agent;
}
