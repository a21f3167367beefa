import { createRoute } from "@hono/zod-openapi";
import { rollEndpointSecret } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { endpointIdOr404, toPublicEndpoint, WebhookEndpointWithSecretSchema } from "./schema.ts";

export const rollWebhookSecretRoute = createRoute({
  method: "post",
  path: "/webhook-endpoints/{id}/roll-secret",
  operationId: "rollWebhookEndpointSecret",
  tags: ["Webhooks"],
  summary: "Roll a webhook endpoint's secret",
  ...keyOperation(
    "webhooks:write",
    "A new secret, shown this once. The old one keeps signing for 24 hours: deliveries meanwhile carry both signatures, so receivers can switch without losing any.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The endpoint with its new secret.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(WebhookEndpointWithSecretSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** POST /public/v1/webhook-endpoints/{id}/roll-secret */
export function registerRollWebhookSecret(router: PublicRouter) {
  router.openapi(rollWebhookSecretRoute, async (c) => {
    const id = endpointIdOr404(c.req.valid("param").id);
    const { endpoint, secret } = await rollEndpointSecret(c.get("services"), c.get("actor"), id);
    return json(
      c,
      { success: true as const, data: { ...toPublicEndpoint(endpoint), secret } },
      200,
    );
  });
}
