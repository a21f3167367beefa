import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { getEndpoint } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { toPublicEndpoint, WebhookEndpointSchema } from "../../public/v1/webhooks/schema.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

export const route = createRoute({
  method: "get",
  path: `${PATH}/{endpointId}`,
  operationId: "dashboardGetWebhookEndpoint",
  tags: TAGS,
  summary: "One webhook endpoint (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: endpointParams },
  responses: {
    200: dataResponse(WebhookEndpointSchema, "The endpoint, without its secret."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId } = c.req.valid("param");
  const row = await getEndpoint(c.get("services"), c.get("org").organizationId, endpointId);
  return json(c, ok(toPublicEndpoint(row)), 200);
};
