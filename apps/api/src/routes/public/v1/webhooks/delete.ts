import { createRoute, z } from "@hono/zod-openapi";
import { deleteEndpoint } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { endpointIdOr404 } from "./schema.ts";

export const deleteWebhookEndpointRoute = createRoute({
  method: "delete",
  path: "/webhook-endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Delete a webhook endpoint",
  ...keyOperation("webhooks:write", "Deletes the endpoint and its pending deliveries."),
  request: { params: idParams },
  responses: {
    200: {
      description: "Deleted.",
      headers: AUTHENTICATED_HEADERS,
      content: {
        "application/json": {
          schema: itemEnvelope(z.object({ id: z.string(), deleted: z.literal(true) })),
        },
      },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** DELETE /public/v1/webhook-endpoints/{id} */
export function registerDeleteWebhookEndpoint(router: PublicRouter) {
  router.openapi(deleteWebhookEndpointRoute, async (c) => {
    const id = endpointIdOr404(c.req.valid("param").id);
    await deleteEndpoint(c.get("services"), c.get("actor"), id);
    return json(c, { success: true as const, data: { id, deleted: true as const } }, 200);
  });
}
