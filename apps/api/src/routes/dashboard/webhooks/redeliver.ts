import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { redeliver } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { toPublicDelivery, WebhookDeliverySchema } from "../../public/v1/webhooks/schema.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

export const route = createRoute({
  method: "post",
  path: `${PATH}/{endpointId}/deliveries/{deliveryId}/redeliver`,
  operationId: "dashboardRedeliverWebhook",
  tags: TAGS,
  summary: "Send a delivery again, same webhook-id (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: endpointParams.extend({
      deliveryId: z.uuid().openapi({ param: { name: "deliveryId", in: "path" } }),
    }),
  },
  responses: {
    202: dataResponse(WebhookDeliverySchema, "The new delivery, on its way."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId, deliveryId } = c.req.valid("param");
  const copy = await redeliver(c.get("services"), c.get("actor"), endpointId, deliveryId);
  return json(c, ok(toPublicDelivery(copy)), 202);
};
