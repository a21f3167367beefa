import { Readable } from "node:stream";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { ApiError } from "../../../errors.ts";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { openThumbnail } from "../../../modules/files/print-files.ts";
import { errors, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { orgParamsWith, TAGS } from "../params.ts";

export const route = createRoute({
  method: "get",
  path: "/orgs/{orgId}/files/{fileId}/thumbnail",
  operationId: "dashboardGetPrintFileThumbnail",
  tags: TAGS,
  summary: "A print file's thumbnail (any member)",
  security: SESSION_SECURITY,
  request: { params: orgParamsWith("fileId") },
  responses: {
    200: {
      description: "The PNG the slicer embedded.",
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errors(401, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { fileId } = c.req.valid("param");
  const image = await openThumbnail(c.get("services"), c.get("org").organizationId, fileId);
  if (!image)
    throw new ApiError("NOT_FOUND", "This print file has no thumbnail (or no such file).");
  return c.body(Readable.toWeb(image.body) as ReadableStream, 200, {
    "Content-Type": "image/png",
    "Content-Length": String(image.sizeBytes),
  });
};
