import { createRoute } from "@hono/zod-openapi";
import { pingEndpoint } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { endpointIdOr404, toPublicDelivery, WebhookDeliverySchema } from "./schema.ts";

export const testWebhookEndpointRoute = createRoute({
  method: "post",
  path: "/webhook-endpoints/{id}/test",
  operationId: "testWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Send a test ping",
  ...keyOperation(
    "webhooks:write",
    "Sends a `ping` event to the endpoint now, signed like any delivery; follow it in the endpoint's deliveries.",
  ),
  request: { params: idParams },
  responses: {
    202: {
      description: "The ping's delivery, on its way.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(WebhookDeliverySchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** POST /public/v1/webhook-endpoints/{id}/test */
export function registerTestWebhookEndpoint(router: PublicRouter) {
  router.openapi(testWebhookEndpointRoute, async (c) => {
    const id = endpointIdOr404(c.req.valid("param").id);
    const delivery = await pingEndpoint(c.get("services"), c.get("actor"), id);
    return json(c, { success: true as const, data: toPublicDelivery(delivery) }, 202);
  });
}
