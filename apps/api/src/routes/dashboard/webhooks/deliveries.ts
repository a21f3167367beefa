import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { endpointDeliveries } from "../../../modules/webhooks/endpoints.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { toPublicDelivery, WebhookDeliverySchema } from "../../public/v1/webhooks/schema.ts";
import { TAGS } from "../params.ts";
import { endpointParams, PATH } from "./shared.ts";

const LIMIT = "must be a whole number from 1 to 100";

export const route = createRoute({
  method: "get",
  path: `${PATH}/{endpointId}/deliveries`,
  operationId: "dashboardListWebhookDeliveries",
  tags: TAGS,
  summary: "An endpoint's recent deliveries, newest first (owner, admin)",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: endpointParams,
    query: z.object({
      limit: z.coerce.number().int(LIMIT).min(1, LIMIT).max(100, LIMIT).default(50),
    }),
  },
  responses: {
    200: dataResponse(z.array(WebhookDeliverySchema), "The deliveries."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { endpointId } = c.req.valid("param");
  const { limit } = c.req.valid("query");
  const rows = await endpointDeliveries(
    c.get("services"),
    c.get("org").organizationId,
    endpointId,
    limit,
  );
  return json(c, ok(rows.map(toPublicDelivery)), 200);
};
