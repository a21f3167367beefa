import { createRoute } from "@hono/zod-openapi";
import { updateEndpoint } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import {
  endpointIdOr404,
  toPublicEndpoint,
  WebhookEndpointPatchSchema,
  WebhookEndpointSchema,
} from "./schema.ts";

export const updateWebhookEndpointRoute = createRoute({
  method: "patch",
  path: "/webhook-endpoints/{id}",
  operationId: "updateWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Change a webhook endpoint",
  ...keyOperation(
    "webhooks:write",
    "Change its `url`, `event_types`, `description`, or enable or disable it (`enabled: true` restarts a disabled one).",
  ),
  request: { params: idParams, body: jsonBody(WebhookEndpointPatchSchema) },
  responses: {
    200: {
      description: "The endpoint as changed.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(WebhookEndpointSchema) } },
    },
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
  },
});

/** PATCH /public/v1/webhook-endpoints/{id} */
export function registerUpdateWebhookEndpoint(router: PublicRouter) {
  router.openapi(updateWebhookEndpointRoute, async (c) => {
    const id = endpointIdOr404(c.req.valid("param").id);
    const patch = c.req.valid("json");
    const row = await updateEndpoint(c.get("services"), c.get("actor"), id, {
      url: patch.url,
      eventTypes: patch.event_types,
      description: patch.description,
      enabled: patch.enabled,
    });
    return json(c, { success: true as const, data: toPublicEndpoint(row) }, 200);
  });
}
