import { getPrintFile } from "@apf/db/queries/print-files";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { PrintFileSchema, toPrintFile } from "../../public/v1/files/schema.ts";
import { orgParamsWith, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/files/{fileId}",
  operationId: "dashboardGetPrintFile",
  tags: TAGS,
  summary: "One print file (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("fileId") },
  responses: {
    200: dataResponse(PrintFileSchema, "The print file."),
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { fileId } = c.req.valid("param");
  const row = await getPrintFile(c.get("services").db, c.get("org").organizationId, fileId);
  if (!row) throw new ApiError("NOT_FOUND", "No such print file in this organization.");
  return json(c, ok(toPrintFile(row)), 200);
};
