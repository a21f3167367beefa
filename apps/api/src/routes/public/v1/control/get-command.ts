import { findCommand } from "@apf/db/queries/commands";
import { createRoute } from "@hono/zod-openapi";
import { expireOverdue } from "../../../../modules/control/expiry.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { CommandSchema, toPublicCommand } from "./schema.ts";

export const getCommandRoute = createRoute({
  method: "get",
  path: "/commands/{id}",
  operationId: "getCommand",
  tags: ["Control"],
  summary: "Get a command's outcome",
  ...keyOperation(
    ["printers:read", "printers:control"],
    "One printer command of the organization: where it stands and when it moved.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The command.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(CommandSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/commands/{id} */
export function registerGetCommand(router: PublicRouter) {
  router.openapi(getCommandRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "Command", async (commandId) => {
      await expireOverdue(services, { organizationId: apiKey.organizationId, commandId });
      return findCommand(services.db, apiKey.organizationId, commandId);
    });
    return json(c, { success: true as const, data: toPublicCommand(row) }, 200);
  });
}
