import type { CommandRequester, CommandStatus } from "@apf/db";
import { hasOpenCommandChannel } from "@apf/db/queries/command-channels";
import { type CommandRow, findCommand, insertCommand } from "@apf/db/queries/commands";
import { markBedCleared } from "@apf/db/queries/printers";
import { completeCollectionTasksOfPrinter } from "@apf/db/queries/tasks";
import {
  type ControlAction,
  type ControlAnswerStatus,
  controlRefusal,
  isControlAction,
} from "@apf/domain";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { idempotent } from "../../platform/idempotency.ts";
import { type Actor, recordAudit } from "../audit/audit.ts";
import { bedClearedEvent, commandCompletedEvent, taskEvent } from "../events/data.ts";
import { recordChange } from "../events/record-change.ts";
import { readPrinterView } from "../printers/printer-view.ts";
import { agentTopic, commandTopic } from "./bus.ts";
import { waitFor } from "./wait.ts";

/** A command not delivered to the agent within this long after the request never runs. */
export const COMMAND_TTL_MS = 30_000;
/** How long a control request waits for the agent's result before answering 202. */
export const RESULT_WAIT_MS = 10_000;
/** How often a waiting request re-reads the command in case a wake-up was lost. */
const RECHECK_MS = 1_000;

/** One control request, from the public API (a key) or the dashboard (a user). */
export interface ControlRequest {
  organizationId: string;
  printerId: string;
  action: ControlAction;
  requester: { type: CommandRequester; id: string };
  origin: Actor;
}

/** What a control request came to: carried out, or still on its way (the command as it stands). */
export interface ControlAnswer {
  /** True once the agent carried it out (acknowledged); false while it is still on its way. */
  carriedOut: boolean;
  data: {
    printer_id: string;
    action: ControlAction;
    status: ControlAnswerStatus;
    command_id: string;
  };
}

const TERMINAL: ReadonlySet<CommandStatus> = new Set(["acknowledged", "failed", "expired"]);

function answer(row: CommandRow, carriedOut: boolean): ControlAnswer {
  if (!isControlAction(row.action)) throw new RangeError(`not a control command: ${row.action}`);
  return {
    carriedOut,
    data: {
      printer_id: row.printerId,
      action: row.action,
      status: row.status as ControlAnswer["data"]["status"],
      command_id: row.id,
    },
  };
}

/**
 * The one code path of `POST …/control`: checks the printer's latest state, records the command
 * (with its audit event), wakes the agent's channel on whatever instance holds it, and waits up
 * to `waitMs` for the result. Throws DomainError NOT_FOUND, INVALID_STATE, HUB_OFFLINE or
 * HUB_COMMAND_FAILED.
 */
export async function requestControl(
  services: Pick<Services, "db" | "clock" | "config" | "commandBus" | "dispatcher">,
  request: ControlRequest,
  options: { waitMs?: number } = {},
): Promise<ControlAnswer> {
  const { db, clock, config, commandBus } = services;
  const { organizationId, printerId, action } = request;
  const now = clock.now();
  // The printer's view, as every surface shows it: refused exactly when `action` is not among
  // its available_actions (one rule, @apf/domain's control-rules.ts).
  const target = await readPrinterView(db, organizationId, printerId, {
    now,
    staleAfterS: config.APF_STALE_AFTER_S,
  });
  if (!target) throw new DomainError("NOT_FOUND", "Printer not found.");
  const refused = controlRefusal(action, target);
  if (refused) throw new DomainError("INVALID_STATE", refused);

  const base = {
    organizationId,
    printerId,
    action,
    requestedByType: request.requester.type,
    requestedById: request.requester.id,
    requestedAt: now,
    expiresAt: new Date(now.getTime() + COMMAND_TTL_MS),
  };
  const audited = (row: CommandRow) => ({
    organizationId,
    action: "printer.control" as const,
    target: { type: "printer", id: printerId },
    details: { command_id: row.id, action, status: row.status },
  });

  if (action === "clear_bed") {
    const row = await db.transaction(async (tx) => {
      await markBedCleared(tx, organizationId, printerId, now);
      const tasks = await completeCollectionTasksOfPrinter(tx, organizationId, printerId, now);
      const inserted = await insertCommand(tx, {
        ...base,
        agentId: null,
        machineId: null,
        status: "acknowledged",
        completedAt: now,
      });
      const freshness = { now, staleAfterS: config.APF_STALE_AFTER_S };
      const { organizationId: _, ...audit } = audited(inserted);
      await recordChange(tx, request.origin, {
        organizationId,
        audit,
        events: [
          ...(await bedClearedEvent(tx, organizationId, printerId, freshness)),
          ...tasks.map((t) => taskEvent("worklist.task_completed", t)),
          commandCompletedEvent(inserted),
        ],
      });
      return inserted;
    });
    // The bed is clear: the printer may take its next queued job.
    services.dispatcher.wake(organizationId);
    return answer(row, true);
  }

  const agentId = target.agentId;
  if (!agentId || !(await hasOpenCommandChannel(db, agentId, now))) {
    throw new DomainError(
      "HUB_OFFLINE",
      "The printer's agent has no open command channel; nothing was sent. Check that the agent is running and can reach the backend.",
      { retryAfterS: 5 },
    );
  }
  const row = await db.transaction(async (tx) => {
    const inserted = await insertCommand(tx, {
      ...base,
      agentId,
      machineId: target.machineId,
      status: "pending",
    });
    await recordAudit(tx, request.origin, audited(inserted));
    return inserted;
  });

  const settled = await waitFor(commandBus, {
    topic: commandTopic(row.id),
    timeoutMs: options.waitMs ?? RESULT_WAIT_MS,
    recheckMs: RECHECK_MS,
    // Wake the agent only once this wait listens, so even an instant result is not missed.
    onListening: () => void commandBus.publish(agentTopic(agentId)),
    check: async () => {
      const current = await findCommand(db, organizationId, row.id);
      return current && TERMINAL.has(current.status) ? current : undefined;
    },
  });
  return settledAnswer(settled, row, db, organizationId);
}

async function settledAnswer(
  settled: CommandRow | undefined,
  row: CommandRow,
  db: Services["db"],
  organizationId: string,
): Promise<ControlAnswer> {
  if (!settled) return answer((await findCommand(db, organizationId, row.id)) ?? row, false);
  if (settled.status === "acknowledged") return answer(settled, true);
  if (settled.status === "expired") {
    throw new DomainError(
      "HUB_OFFLINE",
      `The agent did not take command ${settled.id} in time; it expired and will never run.`,
    );
  }
  throw new DomainError(
    "HUB_COMMAND_FAILED",
    `The agent could not carry out command ${settled.id}: ${settled.error ?? "no reason given"}.`,
  );
}

/**
 * requestControl behind an Idempotency-Key (when one is given): a retry with the same key, by the
 * same requester, in the same organization, on the same operation (the route's operationId), for
 * the same printer and action answers what the first request answered.
 */
export function requestControlOnce(
  services: Pick<Services, "db" | "clock" | "config" | "commandBus" | "dispatcher">,
  request: ControlRequest,
  idempotency: { key: string | undefined; operation: string },
) {
  return idempotent(
    services,
    {
      organizationId: request.organizationId,
      principal: `${request.requester.type}:${request.requester.id}`,
      operation: idempotency.operation,
      key: idempotency.key,
      request: ["control", request.printerId.toLowerCase(), request.action],
    },
    () => requestControl(services, request),
  );
}
