import { listPublicFilamentSpools } from "@apf/db/queries/public-filament";
import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { booleanFlag, filterText, optInPage, optInPaging } from "../params.ts";
import { FilamentSpoolSchema, toFilamentSpool } from "./filament-schema.ts";

const query = z.object({
  low_stock: booleanFlag(
    "`true`: only spools at or below their `low_threshold`; `false`: the others. Spools with no threshold never count as low.",
  ),
  material_type: filterText(50, "Only spools of exactly this material type, e.g. `PETG`."),
  color: filterText(50, "Only spools of this colour (case-insensitive, whole name)."),
  ...optInPaging,
});

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
  request: { query },
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
    const services = c.get("services");
    const apiKey = c.get("apiKey");
    const page = optInPage(q);
    const { rows, count } = await listPublicFilamentSpools(
      services.db,
      apiKey.organizationId,
      { lowStock: q.low_stock, materialType: q.material_type, color: q.color },
      page,
    );
    const data = rows.map(toFilamentSpool);
    if (!page) return json(c, { success: true as const, data }, 200);
    return json(c, { success: true as const, data, meta: { ...page, count: count ?? 0 } }, 200);
  });
}
