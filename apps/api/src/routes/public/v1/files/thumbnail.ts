import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { openThumbnail } from "../../../../modules/files/print-files.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { isUuid } from "../../../../openapi/kit.ts";
import { idParams } from "../lookup.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";

export const getThumbnailRoute = createRoute({
  method: "get",
  path: "/files/{id}/thumbnail",
  operationId: "getPrintFileThumbnail",
  tags: ["Files"],
  summary: "A print file's thumbnail",
  ...keyOperation(
    "files:read",
    "The largest PNG preview the slicer embedded in the file (at most 256 KiB). 404 when the file has none (`has_thumbnail: false`).",
  ),
  request: { params: idParams },
  responses: {
    200: {
      description: "The PNG image.",
      headers: AUTHENTICATED_HEADERS,
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorResponses(401, 403, 404, 429, 500, 503),
  },
});

/** GET /public/v1/files/{id}/thumbnail */
export function registerGetThumbnail(router: PublicRouter) {
  router.openapi(getThumbnailRoute, async (c) => {
    const { id } = c.req.valid("param");
    const organizationId = c.get("apiKey").organizationId;
    const image = isUuid(id) ? await openThumbnail(c.get("services"), organizationId, id) : null;
    if (!image)
      throw new ApiError("NOT_FOUND", "This print file has no thumbnail (or no such file).");
    return c.body(Readable.toWeb(image.body) as ReadableStream, 200, {
      "Content-Type": "image/png",
      "Content-Length": String(image.sizeBytes),
      "Cache-Control": "private, max-age=3600",
    });
  });
}
