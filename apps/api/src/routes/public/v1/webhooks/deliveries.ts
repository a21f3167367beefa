import { createRoute, z } from "@hono/zod-openapi";
import { endpointDeliveries } from "../../../../modules/webhooks/endpoints.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { wholeNumberOr } from "../params.ts";
import { endpointIdOr404, toPublicDelivery, WebhookDeliverySchema } from "./schema.ts";

export const listWebhookDeliveriesRoute = createRoute({
  method: "get",
  path: "/webhook-endpoints/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  tags: ["Webhooks"],
  summary: "An endpoint's recent deliveries",
  ...keyOperation(
    "webhooks:read",
    "Newest first: the event, attempts, the receiver's last status, duration and first 1 KiB of its answer, and the next retry.",
  ),
  request: {
    params: idParams,
    query: z.object({ limit: wholeNumberOr(50, 1, 100, "How many, 1 to 100.") }),
  },
  responses: {
    200: {
      description: "The deliveries.",
      headers: AUTHENTICATED_HEADERS,
      content: {
        "application/json": {
          schema: z.object({ success: z.literal(true), data: z.array(WebhookDeliverySchema) }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/webhook-endpoints/{id}/deliveries */
export function registerListWebhookDeliveries(router: PublicRouter) {
  router.openapi(listWebhookDeliveriesRoute, async (c) => {
    const id = endpointIdOr404(c.req.valid("param").id);
    const { limit } = c.req.valid("query");
    const rows = await endpointDeliveries(
      c.get("services"),
      c.get("apiKey").organizationId,
      id,
      limit,
    );
    return json(c, { success: true as const, data: rows.map(toPublicDelivery) }, 200);
  });
}
