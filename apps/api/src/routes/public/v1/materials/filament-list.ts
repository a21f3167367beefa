import { listPublicFilamentSpools } from "@apf/db/queries/public-filament";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { optInPage, optInPaging } from "../params.ts";
import { FilamentSpoolSchema, toFilamentSpool } from "./filament-schema.ts";

export const listFilamentRoute = createRoute({
  method: "get",
  path: "/materials/filament",
  operationId: "listFilamentSpools",
  tags: ["Materials"],
  summary: "List filament spools",
  ...keyOperation(
    "inventory:read",
    "The organization's filament spools, oldest first. Every spool unless paged.",
  ),
  request: { query: z.object(optInPaging) },
  responses: {
    200: {
      description: "The spools; `meta` only when `limit` or `offset` was given.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(FilamentSpoolSchema, "when paged") } },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/materials/filament */
export function registerListFilament(router: PublicRouter) {
  router.openapi(listFilamentRoute, async (c) => {
    const q = c.req.valid("query");
    const { services, apiKey } = c.var;
    const page = optInPage(q);
    const { rows, count } = await listPublicFilamentSpools(
      services.db,
      apiKey.organizationId,
      page,
    );
    const data = rows.map(toFilamentSpool);
    if (!page) return c.json({ success: true as const, data }, 200);
    return c.json({ success: true as const, data, meta: { ...page, count: count ?? 0 } }, 200);
  });
}
