import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { removePrintFile } from "../../../modules/files/print-files.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { DeletedSchema } from "../../public/v1/files/schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";

export const route = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/files/{fileId}",
  operationId: "dashboardDeletePrintFile",
  tags: TAGS,
  summary: "Delete a print file (owner, admin)",
  description: "409 FILE_IN_USE while a job that has not finished prints it.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: { params: orgParamsWith("fileId") },
  responses: {
    200: dataResponse(DeletedSchema, "Deleted, with its bytes and thumbnail."),
    ...errors(401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { fileId } = c.req.valid("param");
  await removePrintFile(c.get("services"), c.get("org").organizationId, c.get("actor"), fileId);
  return json(c, ok({ id: fileId, deleted: true as const }), 200);
};
