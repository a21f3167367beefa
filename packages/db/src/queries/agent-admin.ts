import { and, count, desc, eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents, printers } from "../schema/index.ts";

/** The organization's agents (revoked ones too), newest first, with how many printers each reports. */
export async function listAgents(db: Queryable, organizationId: string) {
  return db
    .select({
      id: agents.id,
      name: agents.name,
      preview: agents.preview,
      createdAt: agents.createdAt,
      lastSeenAt: agents.lastSeenAt,
      revokedAt: agents.revokedAt,
      revokedReason: agents.revokedReason,
      printerCount: count(printers.id),
    })
    .from(agents)
    .leftJoin(
      printers,
      and(eq(printers.agentId, agents.id), eq(printers.organizationId, agents.organizationId)),
    )
    .where(eq(agents.organizationId, organizationId))
    .groupBy(agents.id)
    .orderBy(desc(agents.createdAt), desc(agents.id));
}

/** One agent of the organization, locked until the transaction ends; undefined when none. */
export async function findAgentForUpdate(db: Queryable, organizationId: string, agentId: string) {
  const [row] = await db
    .select({
      id: agents.id,
      name: agents.name,
      preview: agents.preview,
      revokedAt: agents.revokedAt,
      connected: agents.connected,
    })
    .from(agents)
    .where(and(eq(agents.organizationId, organizationId), eq(agents.id, agentId)))
    .for("update");
  return row;
}
