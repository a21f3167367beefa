import { COMMAND_ACTIONS } from "@apf/domain";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AgentEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import {
  awaitAgentCommands,
  CHANNEL_GRACE_MS,
  MAX_OPEN_POLLS_PER_AGENT,
} from "../../../modules/control/channel.ts";
import { describeForAgent } from "../../../modules/print-queue/transfer.ts";
import { AGENT_SECURITY, dataResponse, errors } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";

const WAIT = "must be a whole number of seconds from 1 to 30";

const commandSchema = z
  .object({
    id: z.string(),
    machine_id: z
      .string()
      .nullable()
      .openapi({ description: "The machine, as the agent named it." }),
    action: z.enum(COMMAND_ACTIONS),
    requested_at: z.string().openapi({ format: "date-time" }),
    job_id: z
      .string()
      .optional()
      .openapi({ description: "`print` only: the queued job it starts." }),
    file: z
      .object({
        name: z.string().openapi({
          description:
            "Store it on OctoPrint as `apf/<name>`: `<original stem>-<first 8 of the job id>.gcode`.",
        }),
        size_bytes: z.int(),
        sha256: z.string(),
        url: z.string().openapi({
          description: "Signed relative download link (GET with the agent token), valid 1 hour.",
        }),
      })
      .optional()
      .openapi({ description: "`print` only: the file to fetch, check and hand to OctoPrint." }),
  })
  .openapi("AgentCommand");

export const route = createRoute({
  method: "get",
  path: "/commands",
  operationId: "agentPollCommands",
  tags: ["Agent"],
  summary: "Wait for commands (long poll)",
  description: `Answers as soon as commands are pending for this agent's printers (each command is handed out once, never again), or with an empty list after \`wait\` seconds. While a request is open the agent counts as connected; a revoked token closes it with 401 TOKEN_REVOKED. One agent may hold at most ${MAX_OPEN_POLLS_PER_AGENT} polls open at once; another is 429 RATE_LIMITED with Retry-After. Run each command at once, then POST its result.`,
  security: AGENT_SECURITY,
  request: {
    query: z.object({
      wait: z.coerce
        .number({ error: WAIT })
        .int(WAIT)
        .min(1, WAIT)
        .max(30, WAIT)
        .default(25)
        .openapi({ description: "Seconds to hold the request open when nothing is pending." }),
    }),
  },
  responses: {
    200: dataResponse(z.array(commandSchema), "The commands to run now (maybe none)."),
    ...errors(400, 401, 429, 503),
  },
});

/** GET /agent/v1/commands?wait=25 */
export const handler: RouteHandler<typeof route, AgentEnv> = async (c) => {
  const { wait } = c.req.valid("query");
  const outcome = await awaitAgentCommands(c.get("services"), c.get("agent"), {
    waitMs: wait * 1000,
    signal: c.req.raw.signal,
  });
  if (outcome.kind === "too_many_polls") {
    throw new ApiError(
      "RATE_LIMITED",
      `This agent already holds ${MAX_OPEN_POLLS_PER_AGENT} open command polls (GET /agent/v1/commands); one at a time is enough. Retry when one has answered.`,
      { "Retry-After": String(CHANNEL_GRACE_MS / 1000) },
    );
  }
  if (outcome.kind === "revoked") {
    throw new ApiError(
      "TOKEN_REVOKED",
      "This agent token was revoked; create a new agent in the dashboard and update the agent's token file.",
    );
  }
  const commands = outcome.kind === "commands" ? outcome.commands : [];
  const prints = commands.filter((command) => command.action === "print").map((c) => c.id);
  const { payloads, dropped } = await describeForAgent(c.get("services"), prints);
  const data = commands
    .filter((command) => !dropped.has(command.id))
    .map((command) => {
      const print = payloads.get(command.id);
      return {
        id: command.id,
        machine_id: command.machineId,
        action: command.action,
        requested_at: command.requestedAt.toISOString(),
        ...(print ? { job_id: print.jobId, file: print.file } : {}),
      };
    });
  return json(c, { success: true as const, data }, 200);
};
