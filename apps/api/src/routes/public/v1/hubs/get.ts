import { createRoute } from "@hono/zod-openapi";
import { readHubDetail } from "../../../../modules/hubs/hubs.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { HubDetailSchema, toHub } from "./schema.ts";

export const getHubRoute = createRoute({
  method: "get",
  path: "/hubs/{id}",
  operationId: "getHub",
  tags: ["Hubs"],
  summary: "Get a hub",
  ...keyOperation("printers:read", "One agent (hub) with the printers it reports."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The hub.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(HubDetailSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/hubs/{id} */
export function registerGetHub(router: PublicRouter) {
  router.openapi(getHubRoute, async (c) => {
    const services = c.get("services");
    const { id } = c.req.valid("param");
    const hub = await findOr404(id, "Hub", (hubId) =>
      readHubDetail(services, c.get("apiKey").organizationId, hubId),
    );
    const data = HubDetailSchema.parse({
      ...toHub(hub),
      is_stale: hub.stale,
      printers: hub.printers.map((p) => ({
        id: p.id,
        name: p.name,
        model: p.model,
        status: p.status,
      })),
    });
    return json(c, { success: true as const, data }, 200);
  });
}
