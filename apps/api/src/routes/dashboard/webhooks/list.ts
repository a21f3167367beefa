import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { listEndpoints } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { toPublicEndpoint, WebhookEndpointSchema } from "../../public/v1/webhooks/schema.ts";
import { orgParams, TAGS } from "../params.ts";
import { PATH } from "./shared.ts";

export const route = createRoute({
  method: "get",
  path: PATH,
  operationId: "dashboardListWebhookEndpoints",
  tags: TAGS,
  summary: "The organization's webhook endpoints (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParams },
  responses: {
    200: dataResponse(z.array(WebhookEndpointSchema), "Every endpoint, without secrets."),
    ...errors(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const rows = await listEndpoints(c.get("services"), c.get("org").organizationId);
  return json(c, ok(rows.map(toPublicEndpoint)), 200);
};
