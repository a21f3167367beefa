import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { removePrintFile } from "../../../../modules/files/print-files.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { codedErrorResponse, isUuid, itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { DeletedSchema } from "./schema.ts";

export const deletePrintFileRoute = createRoute({
  method: "delete",
  path: "/files/{id}",
  operationId: "deletePrintFile",
  tags: ["Files"],
  summary: "Delete a print file",
  ...keyOperation(
    "files:write",
    "Deletes the print file, its bytes and its thumbnail; refused while a job that has not finished (not completed, failed or cancelled) prints it. Audited with the key.",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "Deleted.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(DeletedSchema) } },
    },
    409: codedErrorResponse(
      ["FILE_IN_USE"],
      "A job that has not finished prints this file.",
      "A job that has not finished prints this file; cancel it or wait for it to end first.",
    ),
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** DELETE /public/v1/files/{id} */
export function registerDeletePrintFile(router: PublicRouter) {
  router.openapi(deletePrintFileRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!isUuid(id)) throw new ApiError("NOT_FOUND", "Print file not found.");
    const organizationId = c.get("apiKey").organizationId;
    await removePrintFile(c.get("services"), organizationId, c.get("actor"), id);
    return json(c, { success: true as const, data: { id, deleted: true as const } }, 200);
  });
}
