import { createRoute, z } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { listEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { filterText, MAX_OFFSET, wholeNumberOr } from "../params.ts";
import { PrintFileSchema, printFilePage } from "./schema.ts";

const query = z.object({
  product_id: filterText(100, "Only files of this product (an unknown id matches nothing)."),
  filament_type: filterText(100, "Only files whose `filament_type` is exactly this."),
  model_id: filterText(200, "Only files whose `printer_model_id` is exactly this (e.g. `MK4S`)."),
  limit: wholeNumberOr(50, 1, 100, "Page size, 1 to 100."),
  offset: wholeNumberOr(0, 0, MAX_OFFSET, "Files to skip."),
});

export const listPrintFilesRoute = createRoute({
  method: "get",
  path: "/files",
  operationId: "listPrintFiles",
  tags: ["Files"],
  summary: "List print files",
  ...keyOperation(
    "files:read",
    "The organization's print files, newest first, one page at a time.",
  ),
  request: { query },
  responses: {
    200: {
      description: "One page of print files and `meta` (always).",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: listEnvelope(PrintFileSchema, "always") } },
    },
    ...errorResponses(400, 401, 403, 429, 500, 503),
  },
});

/** GET /public/v1/files */
export function registerListPrintFiles(router: PublicRouter) {
  router.openapi(listPrintFilesRoute, async (c) => {
    const q = c.req.valid("query");
    return json(
      c,
      await printFilePage(c.get("services").db, c.get("apiKey").organizationId, q),
      200,
    );
  });
}
