import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { enqueueJob } from "../../../modules/print-queue/operations.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { EnqueueBodySchema, toEnqueueInput } from "../../public/v1/jobs/queue-schema.ts";
import { JobSchema } from "../../public/v1/jobs/schema.ts";
import { orgParams, TAGS } from "../params.ts";
import { memberActor } from "./queue.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/jobs",
  operationId: "dashboardCreateJob",
  tags: TAGS,
  summary: "Queue a print file (any member)",
  description:
    "The same operation as POST /public/v1/jobs: 201 queued at the bottom; 404 FILE_NOT_FOUND, PRINTER_NOT_FOUND, SKU_NOT_FOUND; 400 PRINTER_MODEL_MISMATCH.",
  security: SESSION_SECURITY,
  request: { params: orgParams, body: jsonBody(EnqueueBodySchema) },
  responses: {
    201: dataResponse(JobSchema, "The queued job."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const services = c.get("services");
  const actor = memberActor(c);
  const job = await enqueueJob(services, actor, toEnqueueInput(c.req.valid("json")));
  return json(c, ok(job), 201);
};
