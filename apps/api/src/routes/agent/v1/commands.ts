import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { auditOrigin } from "../../../services/audit.ts";
import { awaitAgentCommands } from "../../../services/control/channel.ts";
import { recordCommandResult } from "../../../services/control/result.ts";
import { isId } from "../../public/v1/lookup.ts";

const waitSchema = z.coerce
  .number({ error: "must be a whole number of seconds from 1 to 30" })
  .int("must be a whole number of seconds from 1 to 30")
  .min(1, "must be a whole number of seconds from 1 to 30")
  .max(30, "must be a whole number of seconds from 1 to 30")
  .default(25);

const resultSchema = z
  .object({
    ok: z.boolean(),
    octoprint_status: z.number().int().min(100).max(599).nullable().default(null),
    error: z.string().max(500).nullable().default(null),
  })
  .strict();

async function readJson(request: Request): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the result as application/json.");
  }
  try {
    return await request.json();
  } catch {
    throw new ApiError("INVALID_REQUEST", "The request body is not valid JSON.");
  }
}

/**
 * The agent's command channel: `GET /commands?wait=25` is a long poll that answers as soon as
 * commands are pending for the agent (each handed out once), or empty after `wait` seconds; while
 * it is open the agent counts as connected. `POST /commands/{id}/result` reports the outcome.
 */
export function registerCommands(router: Hono<AppEnv>) {
  router.get("/commands", async (c) => {
    const wait = waitSchema.safeParse(c.req.query("wait"));
    if (!wait.success) {
      throw new ApiError(
        "INVALID_REQUEST",
        `Invalid query parameter "wait": ${wait.error.issues[0]?.message}`,
      );
    }
    const outcome = await awaitAgentCommands(c.var.services, c.var.agent, {
      waitMs: wait.data * 1000,
      signal: c.req.raw.signal,
    });
    if (outcome.kind === "revoked") {
      throw new ApiError(
        "TOKEN_REVOKED",
        "This agent token was revoked; create a new agent in the dashboard and update the agent's token file.",
      );
    }
    const data =
      outcome.kind === "commands"
        ? outcome.commands.map((command) => ({
            id: command.id,
            machine_id: command.machineId,
            action: command.action,
            requested_at: command.requestedAt.toISOString(),
          }))
        : [];
    return c.json({ success: true as const, data }, 200);
  });

  router.post("/commands/:id/result", async (c) => {
    const id = c.req.param("id");
    if (!isId(id)) throw new ApiError("NOT_FOUND", "This agent has no such command.");
    const parsed = resultSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError(
        "INVALID_REQUEST",
        `Invalid body field "${issue?.path.join(".") || "(body)"}": ${issue?.message}`,
      );
    }
    const { agent, services } = c.var;
    const row = await recordCommandResult(
      services,
      agent,
      id,
      {
        ok: parsed.data.ok,
        octoprintStatus: parsed.data.octoprint_status,
        error: parsed.data.error?.replace(/\p{Cc}/gu, " ") ?? null,
      },
      auditOrigin(c, { type: "agent", id: agent.agentId }),
    );
    return c.json({ success: true as const, data: { id: row.id, status: row.status } }, 200);
  });
}
