import { and, asc, eq, gt, inArray, lte, ne } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import {
  type CommandAction,
  type CommandRequester,
  type CommandStatus,
  commands,
} from "../schema/index.ts";

export interface NewCommand {
  organizationId: string;
  printerId: string;
  agentId: string | null;
  machineId: string | null;
  action: CommandAction;
  status: CommandStatus;
  requestedByType: CommandRequester;
  requestedById: string;
  requestedAt: Date;
  expiresAt: Date;
  completedAt?: Date | null;
}

export type CommandRow = typeof commands.$inferSelect;

/** Stores a new command. */
export async function insertCommand(db: Queryable, input: NewCommand): Promise<CommandRow> {
  const [row] = await db.insert(commands).values(input).returning();
  return row!;
}

const EXPIRED_ERROR = "not delivered to the agent in time; never sent to the printer";

/**
 * Marks the agent's pending commands whose delivery deadline has passed as expired (or one
 * command's, with `commandId`): they will never be dispatched. Returns what it expired.
 */
export async function expireOverdueCommands(
  db: Queryable,
  where: { agentId: string } | { organizationId: string; commandId: string },
  now: Date,
) {
  const target =
    "agentId" in where
      ? eq(commands.agentId, where.agentId)
      : and(eq(commands.organizationId, where.organizationId), eq(commands.id, where.commandId));
  return db
    .update(commands)
    .set({ status: "expired", completedAt: now, error: EXPIRED_ERROR })
    .where(and(target, eq(commands.status, "pending"), lte(commands.expiresAt, now)))
    .returning();
}

/**
 * Expires up to `limit` overdue pending commands of any agent (the events sweep: a command
 * whose agent never polls again still ends, and says so). Returns what it expired.
 */
export async function expireAllOverdueCommands(db: Queryable, now: Date, limit: number) {
  const due = db
    .select({ id: commands.id })
    .from(commands)
    // Print commands expire with their own words and job in the queue's sweep.
    .where(
      and(
        eq(commands.status, "pending"),
        lte(commands.expiresAt, now),
        ne(commands.action, "print"),
      ),
    )
    .limit(limit);
  return db
    .update(commands)
    .set({ status: "expired", completedAt: now, error: EXPIRED_ERROR })
    .where(
      and(inArray(commands.id, due), eq(commands.status, "pending"), lte(commands.expiresAt, now)),
    )
    .returning();
}

/**
 * Hands the agent its pending, unexpired commands, oldest first, marking them dispatched in the
 * same statement: a command is dispatched at most once, whichever instance's poll runs first
 * (a concurrent poll re-checks `status = 'pending'` after the row lock and skips it).
 */
export async function dispatchPendingCommands(db: Queryable, agentId: string, now: Date) {
  const due = db
    .select({ id: commands.id })
    .from(commands)
    .where(
      and(
        eq(commands.agentId, agentId),
        eq(commands.status, "pending"),
        gt(commands.expiresAt, now),
      ),
    )
    .orderBy(asc(commands.requestedAt))
    .limit(100);
  const rows = await db
    .update(commands)
    .set({ status: "dispatched", dispatchedAt: now })
    .where(
      and(inArray(commands.id, due), eq(commands.status, "pending"), gt(commands.expiresAt, now)),
    )
    .returning({
      id: commands.id,
      machineId: commands.machineId,
      action: commands.action,
      requestedAt: commands.requestedAt,
      jobId: commands.jobId,
    });
  return rows.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());
}

/** One command of the organization, or undefined (also for another organization's id). */
export async function findCommand(db: Queryable, organizationId: string, commandId: string) {
  const [row] = await db
    .select()
    .from(commands)
    .where(and(eq(commands.organizationId, organizationId), eq(commands.id, commandId)))
    .limit(1);
  return row;
}

/** One command carried by this agent, or undefined (also for another agent's command). */
export async function findAgentCommand(db: Queryable, agentId: string, commandId: string) {
  const [row] = await db
    .select()
    .from(commands)
    .where(and(eq(commands.agentId, agentId), eq(commands.id, commandId)))
    .limit(1);
  return row;
}

export interface CommandResult {
  ok: boolean;
  octoprintStatus: number | null;
  error: string | null;
}

/**
 * Records the agent's result of a dispatched command (acknowledged or failed). Only the first
 * result counts: undefined when the command is not this agent's or not dispatched any more.
 */
export async function completeCommand(
  db: Queryable,
  agentId: string,
  commandId: string,
  result: CommandResult,
  now: Date,
) {
  const [row] = await db
    .update(commands)
    .set({
      status: result.ok ? "acknowledged" : "failed",
      completedAt: now,
      octoprintStatus: result.octoprintStatus,
      error: result.ok ? null : (result.error ?? "the agent could not carry it out"),
    })
    .where(
      and(
        eq(commands.agentId, agentId),
        eq(commands.id, commandId),
        eq(commands.status, "dispatched"),
      ),
    )
    .returning();
  return row;
}
