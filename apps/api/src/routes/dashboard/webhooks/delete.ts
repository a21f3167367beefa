import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { deleteEndpoint } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

export const route = createRoute({
  method: "delete",
  path: `${PATH}/{endpointId}`,
  operationId: "dashboardDeleteWebhookEndpoint",
  tags: TAGS,
  summary: "Delete a webhook endpoint (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: endpointParams },
  responses: {
    200: dataResponse(z.object({ id: z.uuid(), deleted: z.literal(true) }), "Deleted."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId } = c.req.valid("param");
  await deleteEndpoint(c.get("services"), c.get("actor"), endpointId);
  return json(c, ok({ id: endpointId, deleted: true as const }), 200);
};
