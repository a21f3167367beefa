import { eq, sql } from "drizzle-orm";
import { type Database, preparedPerDatabase } from "../client.ts";
import { agents } from "../schema/index.ts";

const agentByHash = preparedPerDatabase((db: Database) =>
  db
    .select({ id: agents.id, organizationId: agents.organizationId, revokedAt: agents.revokedAt })
    .from(agents)
    .where(eq(agents.tokenHash, sql.placeholder("hash")))
    .limit(1)
    .prepare("apf_agent_for_auth"),
);

/**
 * The agent whose token has this SHA-256 hash, revoked or not; undefined when none. A prepared
 * statement: it runs before every report and command poll.
 */
export async function findAgentByTokenHash(db: Database, tokenHash: string) {
  const [agent] = await agentByHash(db).execute({ hash: tokenHash });
  return agent;
}
