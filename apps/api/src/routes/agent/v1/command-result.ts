import { COMMAND_STATUSES } from "@apf/domain";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AgentEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { recordAgentResult } from "../../../modules/print-queue/transfer.ts";
import { AGENT_SECURITY, dataResponse, errors, isUuid, jsonBody } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";

const bodySchema = z
  .object({
    ok: z.boolean().openapi({ description: "OctoPrint accepted the command (a 2xx)." }),
    octoprint_status: z
      .int()
      .min(100)
      .max(599)
      .nullable()
      .default(null)
      .openapi({ description: "OctoPrint's HTTP status; null when it did not answer." }),
    error: z.string().max(500).nullable().default(null),
  })
  .strict();

export const route = createRoute({
  method: "post",
  path: "/commands/{id}/result",
  operationId: "agentPostCommandResult",
  tags: ["Agent"],
  summary: "Report what a command came to",
  description:
    "The first result of a command counts; a repeat answers the command as it stands. A command of another agent is 404. For `print`: ok → the job is `uploaded`; not ok → the job goes back to the queue (failed after 3 attempts). A late ok for a print command already failed with NO_RESULT still counts when its job was not started elsewhere (the print did start).",
  security: AGENT_SECURITY,
  request: {
    params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }),
    body: jsonBody(bodySchema),
  },
  responses: {
    200: dataResponse(
      z.object({ id: z.string(), status: z.enum(COMMAND_STATUSES) }),
      "Recorded (or already recorded).",
    ),
    ...errors(400, 401, 404, 409, 415, 429, 503),
  },
});

/** POST /agent/v1/commands/{id}/result */
export const handler: RouteHandler<typeof route, AgentEnv> = async (c) => {
  const { id } = c.req.valid("param");
  if (!isUuid(id)) throw new ApiError("NOT_FOUND", "This agent has no such command.");
  const body = c.req.valid("json");
  const agent = c.get("agent");
  const services = c.get("services");
  const row = await recordAgentResult(
    services,
    agent,
    id,
    {
      ok: body.ok,
      octoprintStatus: body.octoprint_status,
      // Shown to integrators: no control characters from a remote host's text.
      error: body.error?.replace(/\p{Cc}/gu, " ") ?? null,
    },
    c.get("actor"),
  );
  return json(c, { success: true as const, data: { id: row.id, status: row.status } }, 200);
};
