import { createRoute } from "@hono/zod-openapi";
import { prepareUpload } from "../../../../modules/files/prepare-upload.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { codedErrorResponse, itemEnvelope, jsonBody } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { toUploadUrl, UploadUrlRequestSchema, UploadUrlSchema } from "./schema.ts";

export const uploadUrlRoute = createRoute({
  method: "post",
  path: "/files/upload-url",
  operationId: "createFileUploadUrl",
  tags: ["Files"],
  summary: "Start an upload (step 1 of 3)",
  ...keyOperation(
    "files:write",
    "Hands out a new file id, its storage key and an upload token (signed, valid 1 hour, bound to this organization and this key). PUT the bytes to `upload_url` (step 2), then record the file with `POST /files` (step 3).",
  ),
  request: { body: jsonBody(UploadUrlRequestSchema) },
  responses: {
    201: {
      description: "Where and how to upload.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(UploadUrlSchema) } },
    },
    ...errorResponses(400, 401, 403, 413, 429, 500, 503),
    415: codedErrorResponse(
      ["UNSUPPORTED_FILE_TYPE", "UNSUPPORTED_MEDIA_TYPE"],
      "UNSUPPORTED_FILE_TYPE: the filename's extension is not a printable one (the message lists them); UNSUPPORTED_MEDIA_TYPE: the body is not JSON.",
      '"part.stl" is not a printable file: the accepted extensions are .gcode, .gco, .g (G-code).',
    ),
  },
});

/** POST /public/v1/files/upload-url */
export function registerUploadUrl(router: PublicRouter) {
  router.openapi(uploadUrlRoute, async (c) => {
    const input = c.req.valid("json");
    const apiKey = c.get("apiKey");
    const prepared = prepareUpload(c.get("services"), {
      organizationId: apiKey.organizationId,
      issuer: `key:${apiKey.keyId}`,
      filename: input.filename,
      contentType: input.content_type,
    });
    return json(
      c,
      { success: true as const, data: toUploadUrl(prepared, "/public/v1/files/upload") },
      201,
    );
  });
}
