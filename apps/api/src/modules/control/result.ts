import { type CommandRow, completeCommand, findAgentCommand } from "@apf/db/queries/commands";
import type { AgentPrincipal, Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import type { Actor } from "../audit/audit.ts";
import { commandCompletedEvent } from "../events/data.ts";
import { recordChange } from "../events/record-change.ts";
import { commandTopic } from "./bus.ts";

/** What the agent says it came to. */
export interface AgentResult {
  ok: boolean;
  octoprintStatus: number | null;
  error: string | null;
}

/**
 * Records an agent's result of a command it was handed (with its audit event) and wakes the
 * control request waiting for it, on whatever instance. A repeat of a result already recorded
 * answers the command as it stands; a command of another agent is NOT_FOUND.
 */
export async function recordCommandResult(
  services: Pick<Services, "db" | "clock" | "commandBus">,
  agent: AgentPrincipal,
  commandId: string,
  result: AgentResult,
  origin: Actor,
): Promise<CommandRow> {
  const { db, clock, commandBus } = services;
  const completed = await db.transaction(async (tx) => {
    const row = await completeCommand(tx, agent.agentId, commandId, result, clock.now());
    if (!row) return undefined;
    await recordChange(tx, origin, {
      organizationId: row.organizationId,
      audit: {
        action: "printer.control_result",
        target: { type: "printer", id: row.printerId },
        details: {
          command_id: row.id,
          action: row.action,
          status: row.status,
          octoprint_status: row.octoprintStatus,
          error: row.error,
        },
      },
      events: [commandCompletedEvent(row)],
    });
    return row;
  });
  if (completed) {
    await commandBus.publish(commandTopic(completed.id));
    return completed;
  }
  const existing = await findAgentCommand(db, agent.agentId, commandId);
  if (!existing) throw new DomainError("NOT_FOUND", "This agent has no such command.");
  if (existing.status === "pending") {
    throw new DomainError("CONFLICT", "This command was not handed to the agent yet.");
  }
  return existing;
}
