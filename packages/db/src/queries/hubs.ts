import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents, commandChannels, printers } from "../schema/index.ts";

/**
 * Hubs, AutoPrintFarm's word for what apf calls agents: the organization's agents that are not
 * revoked, with their printer count and whether a command channel (long poll) is open now.
 */
function hubSelect(db: Queryable, now: Date) {
  return db
    .select({
      id: agents.id,
      name: agents.name,
      version: agents.version,
      hostname: agents.hostname,
      createdAt: agents.createdAt,
      lastSeenAt: agents.lastSeenAt,
      printerCount: count(printers.id),
      channelOpen: sql<boolean>`exists (
        select 1 from ${commandChannels} c
        where c.agent_id = ${agents.id} and c.open_until > ${now.toISOString()}::timestamptz
      )`,
    })
    .from(agents)
    .leftJoin(
      printers,
      and(eq(printers.agentId, agents.id), eq(printers.organizationId, agents.organizationId)),
    );
}

export type HubRow = Awaited<ReturnType<typeof listHubRows>>[number];

/** The organization's hubs (agents not revoked) by name. */
export async function listHubRows(db: Queryable, organizationId: string, now: Date) {
  return hubSelect(db, now)
    .where(and(eq(agents.organizationId, organizationId), isNull(agents.revokedAt)))
    .groupBy(agents.id)
    .orderBy(asc(agents.name), asc(agents.id));
}

/** One hub of the organization, or undefined (revoked, unknown, or another organization's). */
export async function findHubRow(db: Queryable, organizationId: string, hubId: string, now: Date) {
  const [row] = await hubSelect(db, now)
    .where(
      and(
        eq(agents.organizationId, organizationId),
        eq(agents.id, hubId),
        isNull(agents.revokedAt),
      ),
    )
    .groupBy(agents.id)
    .limit(1);
  return row;
}
