import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { createEndpoint } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  toPublicEndpoint,
  WebhookEndpointCreateSchema,
  WebhookEndpointWithSecretSchema,
} from "../../public/v1/webhooks/schema.ts";
import { orgParams, TAGS } from "../params.ts";
import { PATH } from "./shared.ts";

export const route = createRoute({
  method: "post",
  path: PATH,
  operationId: "dashboardCreateWebhookEndpoint",
  tags: TAGS,
  summary: "Create a webhook endpoint; its secret is shown once (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParams, body: jsonBody(WebhookEndpointCreateSchema) },
  responses: {
    201: dataResponse(WebhookEndpointWithSecretSchema, "The endpoint with its secret."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { endpoint, secret } = await createEndpoint(c.get("services"), c.get("actor"), {
    url: body.url,
    eventTypes: body.event_types ?? [],
    description: body.description ?? null,
    enabled: body.enabled ?? true,
  });
  return json(c, ok({ ...toPublicEndpoint(endpoint), secret }), 201);
};
