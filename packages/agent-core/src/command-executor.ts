import type { Logger } from "pino";
import type { MachineConfig } from "./agent-config.ts";
import type { AgentCommand, CommandResultRequest } from "./api/agent-client.ts";
import { createOctoPrintClient, type JobCommand, type OctoPrintClient } from "./octoprint.ts";
import type { PrintExecutor } from "./print/print-executor.ts";
import type { ProgressSink } from "./print/progress.ts";

/**
 * A command as the backend hands it over. Nothing checks it on arrival: an action this agent does
 * not know fails as unknown, and the print executor checks `job_id` and `file` before using them.
 */
export type ReceivedCommand = AgentCommand;

/** What the agent tells the backend a command came to (every field sent, none left to defaults). */
export type CommandOutcome = Required<CommandResultRequest>;

// The agent's writes to OctoPrint: POST /api/job with these three bodies, and the upload of print.
const JOB_COMMANDS: Record<string, JobCommand> = {
  pause: "pause",
  resume: "resume",
  stop: "cancel",
};

/** Options of {@link createCommandExecutor}. */
export interface CommandExecutorOptions {
  machines: MachineConfig[];
  requestTimeoutMs: number;
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  /** Carries out `print`; without it a print command fails as unknown. */
  print?: PrintExecutor;
}

/** What the channel gives a command while it runs. */
export interface CommandContext {
  /** Transfer progress of a `print` (already throttled by the channel). */
  progress: ProgressSink;
}

/** Carries a command to its machine's OctoPrint and says what came of it; never throws. */
export type CommandExecutor = (
  command: ReceivedCommand,
  context?: CommandContext,
) => Promise<CommandOutcome>;

/** Builds the executor over the configured machines, one OctoPrint client each. */
export function createCommandExecutor(options: CommandExecutorOptions): CommandExecutor {
  const clients = new Map<string, OctoPrintClient>(
    options.machines.map((machine) => [
      machine.id,
      createOctoPrintClient({
        baseUrl: machine.baseUrl,
        apiKey: () => machine.apiKey.get(),
        timeoutMs: options.requestTimeoutMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ]),
  );
  const machines = new Map(options.machines.map((machine) => [machine.id, machine]));
  return async (command, context) => {
    const jobCommand = JOB_COMMANDS[command.action];
    const print = command.action === "print" ? options.print : undefined;
    if (!jobCommand && !print) {
      return { ok: false, octoprint_status: null, error: `unknown action "${command.action}"` };
    }
    const client = command.machine_id ? clients.get(command.machine_id) : undefined;
    const machine = command.machine_id ? machines.get(command.machine_id) : undefined;
    if (!client || !machine) {
      return {
        ok: false,
        octoprint_status: null,
        error: "this agent's configuration has no such machine",
      };
    }
    if (print) return print(command, machine, context?.progress ?? (() => undefined));
    const result = await client.sendJobCommand(jobCommand as JobCommand);
    const fields = {
      command_id: command.id,
      machine_id: command.machine_id,
      action: command.action,
    };
    if (result.ok) {
      options.logger.info({ ...fields, octoprint_status: result.status }, "command carried out");
      return { ok: true, octoprint_status: result.status, error: null };
    }
    options.logger.warn(
      { ...fields, octoprint_status: result.status ?? null, error: result.message },
      "OctoPrint did not carry out the command",
    );
    return { ok: false, octoprint_status: result.status ?? null, error: result.message };
  };
}
