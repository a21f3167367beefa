import { createRoute } from "@hono/zod-openapi";
import { createPrintFile } from "../../../../modules/files/print-files.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { codedErrorResponse, itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { CreatePrintFileSchema, PrintFileSchema, toPrintFile } from "./schema.ts";

export const createPrintFileRoute = createRoute({
  method: "post",
  path: "/files",
  operationId: "createPrintFile",
  tags: ["Files"],
  summary: "Record an uploaded file (step 3 of 3)",
  ...keyOperation(
    "files:write",
    "Makes the bytes uploaded under `storage_key` (within the last hour) a print file of the organization, with the metadata its slicer wrote. Its id is the upload's `file_id`. Audited with the key.",
  ),
  request: { body: jsonBody(CreatePrintFileSchema) },
  responses: {
    201: {
      description: "The new print file.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(PrintFileSchema) } },
    },
    400: codedErrorResponse(
      ["INVALID_REQUEST", "FILE_NOT_UPLOADED"],
      "INVALID_REQUEST: a body field is invalid (the message names it); FILE_NOT_UPLOADED: nothing was uploaded under `storage_key` in this organization in the last hour.",
      "Nothing was uploaded under this storage_key (or it was more than an hour ago): PUT the bytes to the upload_url first.",
    ),
    404: codedErrorResponse(
      ["PRODUCT_NOT_FOUND"],
      "No SKU of this organization has this `product_id`.",
      "No SKU of this organization has this product_id.",
    ),
    409: codedErrorResponse(
      ["DUPLICATE_NAME"],
      "The organization already has a print file of this name.",
      'This organization already has a print file named "benchy".',
    ),
    ...errorResponses(401, 403, 413, 415, 429, 500, 503),
  },
});

/** POST /public/v1/files */
export function registerCreatePrintFile(router: PublicRouter) {
  router.openapi(createPrintFileRoute, async (c) => {
    const input = c.req.valid("json");
    const apiKey = c.get("apiKey");
    const row = await createPrintFile(c.get("services"), apiKey.organizationId, c.get("actor"), {
      name: input.name,
      storageKey: input.storage_key,
      productId: input.product_id,
      numberOfUnits: input.number_of_units,
    });
    return json(c, { success: true as const, data: toPrintFile(row) }, 201);
  });
}
