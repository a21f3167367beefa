import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { redeliver } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { isUuid, itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { endpointIdOr404, toPublicDelivery, WebhookDeliverySchema } from "./schema.ts";

export const redeliverWebhookRoute = createRoute({
  method: "post",
  path: "/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver",
  operationId: "redeliverWebhook",
  tags: ["Webhooks"],
  summary: "Send a delivery again",
  ...keyOperation(
    "webhooks:write",
    "A new delivery of the same message (same `webhook-id`: a receiver that already has it ignores it), sent now.",
  ),
  request: {
    params: idParams.extend({
      deliveryId: z.string().openapi({ param: { name: "deliveryId", in: "path" } }),
    }),
  },
  responses: {
    202: {
      description: "The new delivery, on its way.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(WebhookDeliverySchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** POST /public/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver */
export function registerRedeliverWebhook(router: PublicRouter) {
  router.openapi(redeliverWebhookRoute, async (c) => {
    const params = c.req.valid("param");
    const id = endpointIdOr404(params.id);
    if (!isUuid(params.deliveryId)) {
      throw new ApiError("NOT_FOUND", "No such delivery of this endpoint.");
    }
    const copy = await redeliver(c.get("services"), c.get("actor"), id, params.deliveryId);
    return json(c, { success: true as const, data: toPublicDelivery(copy) }, 202);
  });
}
