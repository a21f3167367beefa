import { TRANSFER_STAGES } from "@apf/domain";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AgentEnv } from "../../../context.ts";
import { ApiError } from "../../../errors.ts";
import { recordProgress } from "../../../modules/print-queue/transfer.ts";
import { AGENT_SECURITY, dataResponse, errors, isUuid, jsonBody } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";

const PERCENT = "must be a whole number from 0 to 100";

const bodySchema = z
  .object({
    stage: z.enum(TRANSFER_STAGES, { error: `must be one of: ${TRANSFER_STAGES.join(", ")}` }),
    percent: z.int(PERCENT).min(0, PERCENT).max(100, PERCENT),
  })
  .strict();

export const route = createRoute({
  method: "post",
  path: "/commands/{id}/progress",
  operationId: "agentPostCommandProgress",
  tags: ["Agent"],
  summary: "Report a print command's transfer progress",
  description:
    "While a `print` command is carried out: `downloading` (the file from the backend) or `uploading` (to OctoPrint), with a percentage. At most once a second. A command of another agent is 404; one that is no longer being carried out is 409.",
  security: AGENT_SECURITY,
  request: {
    params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }),
    body: jsonBody(bodySchema),
  },
  responses: {
    200: dataResponse(
      z.object({ id: z.string(), stage: z.enum(TRANSFER_STAGES), percent: z.int() }),
      "Recorded.",
    ),
    ...errors(400, 401, 404, 409, 415, 429, 503),
  },
});

/** POST /agent/v1/commands/{id}/progress */
export const handler: RouteHandler<typeof route, AgentEnv> = async (c) => {
  const { id } = c.req.valid("param");
  if (!isUuid(id)) throw new ApiError("NOT_FOUND", "This agent has no such command.");
  const body = c.req.valid("json");
  const row = await recordProgress(c.get("services"), c.get("agent"), id, body);
  return json(
    c,
    { success: true as const, data: { id: row.id, stage: body.stage, percent: body.percent } },
    200,
  );
};
