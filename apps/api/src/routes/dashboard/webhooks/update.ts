import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { updateEndpoint } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  toPublicEndpoint,
  WebhookEndpointPatchSchema,
  WebhookEndpointSchema,
} from "../../public/v1/webhooks/schema.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

export const route = createRoute({
  method: "patch",
  path: `${PATH}/{endpointId}`,
  operationId: "dashboardUpdateWebhookEndpoint",
  tags: TAGS,
  summary: "Change, enable or disable a webhook endpoint (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: endpointParams, body: jsonBody(WebhookEndpointPatchSchema) },
  responses: {
    200: dataResponse(WebhookEndpointSchema, "The endpoint as changed."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId } = c.req.valid("param");
  const patch = c.req.valid("json");
  const row = await updateEndpoint(c.get("services"), c.get("actor"), endpointId, {
    url: patch.url,
    eventTypes: patch.event_types,
    description: patch.description,
    enabled: patch.enabled,
  });
  return json(c, ok(toPublicEndpoint(row)), 200);
};
