import { createRoute } from "@hono/zod-openapi";
import { createEndpoint } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import {
  toPublicEndpoint,
  WebhookEndpointCreateSchema,
  WebhookEndpointWithSecretSchema,
} from "./schema.ts";

export const createWebhookEndpointRoute = createRoute({
  method: "post",
  path: "/webhook-endpoints",
  operationId: "createWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Create a webhook endpoint",
  ...keyOperation(
    "webhooks:write",
    "Events are POSTed to `url`, signed per Standard Webhooks with the `secret` this answer shows once. The URL must be `https://` and resolve to a public address (400 names the rule otherwise).",
  ),
  request: { body: jsonBody(WebhookEndpointCreateSchema) },
  responses: {
    201: {
      description: "The endpoint, with its secret (shown this once).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(WebhookEndpointWithSecretSchema) } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

/** POST /public/v1/webhook-endpoints */
export function registerCreateWebhookEndpoint(router: PublicRouter) {
  router.openapi(createWebhookEndpointRoute, async (c) => {
    const body = c.req.valid("json");
    const { endpoint, secret } = await createEndpoint(c.get("services"), c.get("actor"), {
      url: body.url,
      eventTypes: body.event_types ?? [],
      description: body.description ?? null,
      enabled: body.enabled ?? true,
    });
    return json(
      c,
      { success: true as const, data: { ...toPublicEndpoint(endpoint), secret } },
      201,
    );
  });
}
