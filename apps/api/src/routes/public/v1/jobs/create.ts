import { createRoute } from "@hono/zod-openapi";
import { enqueueJob } from "../../../../modules/print-queue/operations.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { EnqueueBodySchema, keyActor, queueError, toEnqueueInput } from "./queue-schema.ts";
import { JobSchema } from "./schema.ts";

export const createJobRoute = createRoute({
  method: "post",
  path: "/jobs",
  operationId: "createJob",
  tags: ["Jobs"],
  summary: "Queue a print file",
  ...keyOperation(
    "jobs:write",
    "Queues the print file as a job at the bottom of the queue (`queued`). With `printer_id` only that printer takes it; without, the first ready printer it fits (model, material, colour, nozzle) when the organization's `auto_start` is on, or a start by hand.",
  ),
  request: { body: jsonBody(EnqueueBodySchema) },
  responses: {
    201: {
      description: "The queued job.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(JobSchema) } },
    },
    400: queueError(
      ["INVALID_REQUEST", "PRINTER_MODEL_MISMATCH"],
      "a field is invalid, or the printer's model and the file's printer_model are both known and differ.",
    ),
    404: queueError(
      ["FILE_NOT_FOUND", "PRINTER_NOT_FOUND", "SKU_NOT_FOUND"],
      "the print file, printer or SKU named is not in the key's organization.",
    ),
    ...errorResponses(401, 403, 413, 415, 429, 500, 503),
  },
});

/** POST /public/v1/jobs */
export function registerCreateJob(router: PublicRouter) {
  router.openapi(createJobRoute, async (c) => {
    const input = toEnqueueInput(c.req.valid("json"));
    const services = c.get("services");
    const actor = keyActor(c);
    const job = await enqueueJob(services, actor, input);
    return json(c, { success: true as const, data: job }, 201);
  });
}
