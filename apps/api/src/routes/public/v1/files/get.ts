import { getPrintFile } from "@apf/db/queries/print-files";
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { findOr404, idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { PrintFileSchema, toPrintFile } from "./schema.ts";

export const getPrintFileRoute = createRoute({
  method: "get",
  path: "/files/{id}",
  operationId: "getPrintFile",
  tags: ["Files"],
  summary: "Get a print file",
  ...keyOperation("files:read", "One print file of the organization (metadata only)."),
  request: { params: idParams },
  responses: {
    200: {
      description: "The print file.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(PrintFileSchema) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/files/{id} */
export function registerGetPrintFile(router: PublicRouter) {
  router.openapi(getPrintFileRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { db } = c.get("services");
    const organizationId = c.get("apiKey").organizationId;
    const row = await findOr404(
      id,
      "Print file",
      async (fileId) => (await getPrintFile(db, organizationId, fileId)) ?? undefined,
    );
    return json(c, { success: true as const, data: toPrintFile(row) }, 200);
  });
}
