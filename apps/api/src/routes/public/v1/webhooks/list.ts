import { createRoute, z } from "@hono/zod-openapi";
import { listEndpoints } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { toPublicEndpoint, WebhookEndpointSchema } from "./schema.ts";

export const listWebhookEndpointsRoute = createRoute({
  method: "get",
  path: "/webhook-endpoints",
  operationId: "listWebhookEndpoints",
  tags: ["Webhooks"],
  summary: "List webhook endpoints",
  ...keyOperation("webhooks:read", "The organization's webhook endpoints, oldest first."),
  responses: {
    200: {
      description: "Every endpoint.",
      headers: AUTHENTICATED_HEADERS,
      content: {
        "application/json": {
          schema: z.object({ success: z.literal(true), data: z.array(WebhookEndpointSchema) }),
        },
      },
    },
    ...errorResponses(401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/webhook-endpoints */
export function registerListWebhookEndpoints(router: PublicRouter) {
  router.openapi(listWebhookEndpointsRoute, async (c) => {
    const rows = await listEndpoints(c.get("services"), c.get("apiKey").organizationId);
    return json(c, { success: true as const, data: rows.map(toPublicEndpoint) }, 200);
  });
}
