import type { Logger } from "pino";
import type { MachineConfig } from "./agent-config.ts";
import { createOctoPrintClient, type JobCommand, type OctoPrintClient } from "./octoprint.ts";

/** A command as the backend hands it over. */
export interface ReceivedCommand {
  id: string;
  machine_id: string | null;
  action: string;
  requested_at: string;
}

/** What the agent tells the backend it came to. */
export interface CommandOutcome {
  ok: boolean;
  octoprint_status: number | null;
  error: string | null;
}

// The only writes the agent ever makes to OctoPrint: POST /api/job with these three bodies.
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
}

/** Carries a command to its machine's OctoPrint and says what came of it; never throws. */
export type CommandExecutor = (command: ReceivedCommand) => Promise<CommandOutcome>;

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
  return async (command) => {
    const jobCommand = JOB_COMMANDS[command.action];
    if (!jobCommand) {
      return { ok: false, octoprint_status: null, error: `unknown action "${command.action}"` };
    }
    const client = command.machine_id ? clients.get(command.machine_id) : undefined;
    if (!client) {
      return {
        ok: false,
        octoprint_status: null,
        error: "this agent's configuration has no such machine",
      };
    }
    const result = await client.sendJobCommand(jobCommand);
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
