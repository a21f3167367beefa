import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { createPrintFile } from "../../../modules/files/print-files.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  CreatePrintFileSchema,
  PrintFileSchema,
  toPrintFile,
} from "../../public/v1/files/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/files",
  operationId: "dashboardCreatePrintFile",
  tags: TAGS,
  summary: "Record an uploaded file (any member)",
  description:
    "Step 3 of 3. 400 FILE_NOT_UPLOADED, 404 PRODUCT_NOT_FOUND, 409 DUPLICATE_NAME, as on the public API.",
  security: SESSION_SECURITY,
  request: { params: orgParams, body: jsonBody(CreatePrintFileSchema) },
  responses: {
    201: dataResponse(PrintFileSchema, "The new print file."),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const input = c.req.valid("json");
  const row = await createPrintFile(
    c.get("services"),
    c.get("org").organizationId,
    c.get("actor"),
    {
      name: input.name,
      storageKey: input.storage_key,
      productId: input.product_id,
      numberOfUnits: input.number_of_units,
    },
  );
  return json(c, ok(toPrintFile(row)), 201);
};
