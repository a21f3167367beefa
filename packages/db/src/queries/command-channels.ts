import { and, eq, gt, isNull, lt, lte, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { agents, commandChannels } from "../schema/index.ts";

/**
 * Opens a channel row for one long poll of the agent and returns its id. Rows of the agent's
 * finished polls (open until `supersedeBefore` at most: kept for the next poll) give way to it, so
 * an agent that stops right after a poll reads offline at once.
 */
export async function openCommandChannel(
  db: Queryable,
  agentId: string,
  openUntil: Date,
  supersedeBefore: Date,
) {
  await db
    .delete(commandChannels)
    .where(
      and(eq(commandChannels.agentId, agentId), lte(commandChannels.openUntil, supersedeBefore)),
    );
  const [row] = await db
    .insert(commandChannels)
    .values({ agentId, openUntil })
    .returning({ id: commandChannels.id });
  return row!.id;
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
