import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { errors, listEnvelope, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { PrintFileSchema, printFilePage } from "../../public/v1/files/schema.ts";
import { filterText, MAX_OFFSET, wholeNumberOr } from "../../public/v1/params.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/files",
  operationId: "dashboardListPrintFiles",
  tags: TAGS,
  summary: "Print files (any member)",
  security: SESSION_SECURITY,
  request: {
    params: orgParams,
    query: z.object({
      product_id: filterText(100, "Only files of this product."),
      filament_type: filterText(100, "Only files of this filament type."),
      model_id: filterText(200, "Only files for this printer model."),
      limit: wholeNumberOr(50, 1, 100, "Page size, 1 to 100."),
      offset: wholeNumberOr(0, 0, MAX_OFFSET, "Files to skip."),
    }),
  },
  responses: {
    200: {
      description: "One page of print files, newest first, and `meta`.",
      content: { "application/json": { schema: listEnvelope(PrintFileSchema, "always") } },
    },
    ...errors(400, 401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const q = c.req.valid("query");
  return json(c, await printFilePage(c.get("services").db, c.get("org").organizationId, q), 200);
};
