import { findPublicFilamentSpool } from "@apf/db/queries/public-filament";
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { FilamentSpoolSchema, toFilamentSpool } from "./filament-schema.ts";

export const getFilamentRoute = createRoute({
  method: "get",
  path: "/materials/filament/{id}",
  operationId: "getFilamentSpool",
  tags: ["Materials"],
  summary: "Get a filament spool",
  ...keyOperation("inventory:read", "One filament spool of the organization."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The spool.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(FilamentSpoolSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/materials/filament/{id} */
export function registerGetFilament(router: PublicRouter) {
  router.openapi(getFilamentRoute, async (c) => {
    const { id } = c.req.valid("param");
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const row = await findOr404(id, "Filament spool", (spoolId) =>
      findPublicFilamentSpool(services.db, apiKey.organizationId, spoolId),
    );
    return json(c, { success: true as const, data: toFilamentSpool(row) }, 200);
  });
}
