import { and, count, eq, gt, isNull, lt, lte, sql } from "drizzle-orm";
import type { Database, Queryable } from "../client.ts";
import { agents, commandChannels } from "../schema/index.ts";

/**
 * Opens a channel row for one long poll of the agent and returns its id, and whether the agent
 * connected with it (before it, no poll of the agent was open, nor one answered within its
 * grace), or null when the agent already holds `maxOpen` open polls (on any instance: the rows are shared). Rows of the agent's
 * finished polls (open until `supersedeBefore` at most: kept for the next poll) give way to it, so
 * an agent that stops right after a poll reads offline at once. The agent's row is locked while
 * counting, so concurrent polls cannot both take the last place.
 */
export async function openCommandChannel(
  db: Database,
  agentId: string,
  openUntil: Date,
  supersedeBefore: Date,
  maxOpen: number,
  now: Date,
): Promise<{ id: string; connected: boolean } | null> {
  return db.transaction(async (tx) => {
    await tx.select({ id: agents.id }).from(agents).where(eq(agents.id, agentId)).for("update");
    const superseded = await tx
      .delete(commandChannels)
      .where(
        and(eq(commandChannels.agentId, agentId), lte(commandChannels.openUntil, supersedeBefore)),
      )
      .returning({ openUntil: commandChannels.openUntil });
    const [open] = await tx
      .select({ n: count() })
      .from(commandChannels)
      .where(eq(commandChannels.agentId, agentId));
    const n = open?.n ?? 0;
    if (n >= maxOpen) return null;
    const [row] = await tx
      .insert(commandChannels)
      .values({ agentId, openUntil })
      .returning({ id: commandChannels.id });
    // Connected now, not before: no poll open and none answered within its grace.
    const connected = n === 0 && !superseded.some((c) => c.openUntil > now);
    return { id: row!.id, connected };
  });
}

/** Moves a channel's end (a finished poll keeps it open briefly for the agent's next one). */
export async function setCommandChannelEnd(db: Queryable, channelId: string, openUntil: Date) {
  await db.update(commandChannels).set({ openUntil }).where(eq(commandChannels.id, channelId));
}

/** Closes a channel at once (the agent went away mid-poll). */
export async function closeCommandChannel(db: Queryable, channelId: string) {
  await db.delete(commandChannels).where(eq(commandChannels.id, channelId));
}

/** Drops channel rows that lapsed before `before` (left behind by a stopped instance). */
export async function pruneCommandChannels(db: Queryable, before: Date) {
  await db.delete(commandChannels).where(lt(commandChannels.openUntil, before));
}

/** Whether the agent has an open command channel now (a revoked agent never has). */
export async function hasOpenCommandChannel(db: Queryable, agentId: string, now: Date) {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(commandChannels)
    .innerJoin(agents, eq(agents.id, commandChannels.agentId))
    .where(
      and(
        eq(commandChannels.agentId, agentId),
        gt(commandChannels.openUntil, now),
        isNull(agents.revokedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}
