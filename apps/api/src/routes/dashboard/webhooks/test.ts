import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { pingEndpoint } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { toPublicDelivery, WebhookDeliverySchema } from "../../public/v1/webhooks/schema.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

export const route = createRoute({
  method: "post",
  path: `${PATH}/{endpointId}/test`,
  operationId: "dashboardTestWebhookEndpoint",
  tags: TAGS,
  summary: "Send a test ping now (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: endpointParams },
  responses: {
    202: dataResponse(WebhookDeliverySchema, "The ping's delivery, on its way."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId } = c.req.valid("param");
  const delivery = await pingEndpoint(c.get("services"), c.get("actor"), endpointId);
  return json(c, ok(toPublicDelivery(delivery)), 202);
};
