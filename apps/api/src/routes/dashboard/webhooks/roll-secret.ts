import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { rollEndpointSecret } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  toPublicEndpoint,
  WebhookEndpointWithSecretSchema,
} from "../../public/v1/webhooks/schema.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

export const route = createRoute({
  method: "post",
  path: `${PATH}/{endpointId}/roll-secret`,
  operationId: "dashboardRollWebhookEndpointSecret",
  tags: TAGS,
  summary: "A new secret, shown once; the old one signs 24 hours more (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: endpointParams },
  responses: {
    200: dataResponse(WebhookEndpointWithSecretSchema, "The endpoint with its new secret."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId } = c.req.valid("param");
  const { endpoint, secret } = await rollEndpointSecret(
    c.get("services"),
    c.get("actor"),
    endpointId,
  );
  return json(c, ok({ ...toPublicEndpoint(endpoint), secret }), 200);
};
