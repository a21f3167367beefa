import { createRoute, z } from "@hono/zod-openapi";
import { readHubViews } from "../../../../modules/hubs/hubs.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { HubSchema, toHub } from "./schema.ts";

export const listHubsRoute = createRoute({
  method: "get",
  path: "/hubs",
  operationId: "listHubs",
  tags: ["Hubs"],
  summary: "List hubs",
  ...keyOperation("printers:read", "The organization's agents (hubs), by name."),
  responses: {
    200: {
      description: "The hubs.",
      headers: AUTHENTICATED_HEADERS,
      content: {
        "application/json": {
          schema: z.object({ success: z.literal(true), data: z.array(HubSchema) }),
        },
      },
    },
    ...errorResponses(401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/hubs */
export function registerListHubs(router: PublicRouter) {
  router.openapi(listHubsRoute, async (c) => {
    const hubs = await readHubViews(c.get("services"), c.get("apiKey").organizationId);
    return json(c, { success: true as const, data: hubs.map(toHub) }, 200);
  });
}
