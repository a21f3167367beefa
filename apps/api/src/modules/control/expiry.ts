import { type CommandRow, expireOverdueCommands } from "@apf/db/queries/commands";
import type { Services } from "../../context.ts";
import { SYSTEM_ACTOR } from "../audit/audit.ts";
import { commandCompletedEvent } from "../events/data.ts";
import { type Change, recordChange } from "../events/record-change.ts";
import { commandTopic } from "./bus.ts";

/** How an expired command is recorded: its audit entry and command.completed. */
export function expiredCommandChange(c: CommandRow): Change {
  return {
    organizationId: c.organizationId,
    audit: {
      action: "printer.control_result",
      target: { type: "printer", id: c.printerId },
      details: { command_id: c.id, action: c.action, status: "expired" },
    },
    events: [commandCompletedEvent(c)],
  };
}

/**
 * Marks overdue pending commands (the agent's, or one) expired, never to run, records each as an
 * audit event and wakes anyone still waiting for them. Run before dispatching and before reading.
 */
export async function expireOverdue(
  services: Pick<Services, "db" | "clock" | "commandBus">,
  where: { agentId: string } | { organizationId: string; commandId: string },
): Promise<void> {
  const { db, clock, commandBus } = services;
  const expired = await db.transaction(async (tx) => {
    const rows = await expireOverdueCommands(tx, where, clock.now());
    await recordChange(tx, SYSTEM_ACTOR, rows.map(expiredCommandChange));
    return rows;
  });
  for (const c of expired) void commandBus.publish(commandTopic(c.id));
}
