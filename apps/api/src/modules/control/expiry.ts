import { expireOverdueCommands } from "@apf/db/queries/commands";
import type { Services } from "../../context.ts";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.ts";
import { commandTopic } from "./bus.ts";

/**
 * Marks overdue pending commands (the agent's, or one) expired, never to run, records each as an
 * audit event and wakes anyone still waiting for them. Run before dispatching and before reading.
 */
export async function expireOverdue(
  services: Pick<Services, "db" | "clock" | "commandBus">,
  where: { agentId: string } | { organizationId: string; commandId: string },
): Promise<void> {
  const { db, clock, commandBus } = services;
  const expired = await expireOverdueCommands(db, where, clock.now());
  if (expired.length === 0) return;
  await recordAudit(
    db,
    SYSTEM_ACTOR,
    expired.map((c) => ({
      organizationId: c.organizationId,
      action: "printer.control_result" as const,
      target: { type: "printer", id: c.printerId },
      details: { command_id: c.id, action: c.action, status: "expired" },
    })),
  );
  for (const c of expired) void commandBus.publish(commandTopic(c.id));
}
