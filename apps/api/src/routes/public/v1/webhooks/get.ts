import { createRoute } from "@hono/zod-openapi";
import { getEndpoint } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { endpointIdOr404, toPublicEndpoint, WebhookEndpointSchema } from "./schema.ts";

export const getWebhookEndpointRoute = createRoute({
  method: "get",
  path: "/webhook-endpoints/{id}",
  operationId: "getWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Get a webhook endpoint",
  ...keyOperation("webhooks:read", "One webhook endpoint (never its secret)."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The endpoint.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(WebhookEndpointSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/webhook-endpoints/{id} */
export function registerGetWebhookEndpoint(router: PublicRouter) {
  router.openapi(getWebhookEndpointRoute, async (c) => {
    const id = endpointIdOr404(c.req.valid("param").id);
    const row = await getEndpoint(c.get("services"), c.get("apiKey").organizationId, id);
    return json(c, { success: true as const, data: toPublicEndpoint(row) }, 200);
  });
}
