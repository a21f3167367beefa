import { createRoute, z } from "@hono/zod-openapi";
import { receiveUpload } from "../../../../modules/files/receive-upload.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../../openapi/components.ts";
import { codedErrorResponse, itemEnvelope } from "../../../../openapi/kit.ts";
import { json } from "../../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "../operation.ts";
import { tokenParams, UploadResultSchema } from "./schema.ts";
import { uploadBodyOf } from "./upload-body.ts";

export const uploadRoute = createRoute({
  method: "put",
  path: "/files/upload/{token}",
  operationId: "uploadFile",
  tags: ["Files"],
  summary: "Upload the bytes (step 2 of 3)",
  ...keyOperation(
    null,
    "The file's raw bytes as the body (`application/octet-stream`, with a Content-Length or chunked), at most `APF_MAX_FILE_MB` (default 100 MB). The upload token is the credential; the key (checked first, for its rate limit) needs no scope. Streamed to storage while its SHA-256 and slicer metadata are read. Uploading again with the same token within the hour replaces the bytes.",
  ),
  request: {
    params: tokenParams,
    body: {
      required: true,
      content: {
        "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
  },
  responses: {
    200: {
      description: "Stored: the size and SHA-256 of what arrived.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(UploadResultSchema) } },
    },
    400: codedErrorResponse(
      ["NO_CONTENT", "INVALID_REQUEST"],
      "NO_CONTENT: the body is empty; INVALID_REQUEST: a malformed Content-Length, or the body ended early.",
      "The request body is empty: send the file's bytes.",
    ),
    401: codedErrorResponse(
      ["INVALID_TOKEN", "TOKEN_EXPIRED", "UNAUTHORIZED", "TOKEN_INVALID", "TOKEN_REVOKED"],
      "The API key is checked first (UNAUTHORIZED, TOKEN_INVALID, TOKEN_REVOKED, TOKEN_EXPIRED of the key); then the upload token: INVALID_TOKEN (malformed or tampered with) or TOKEN_EXPIRED (older than 1 hour). The message says which.",
      "The upload token has expired (it is valid for 1 hour); ask for a new one with POST /files/upload-url.",
    ),
    403: codedErrorResponse(
      ["FORBIDDEN"],
      "The upload token belongs to another organization or was issued to another key.",
      "This upload token belongs to another organization.",
    ),
    409: codedErrorResponse(
      ["CONFLICT"],
      "This upload was already made a print file; ask for a new upload URL.",
      "This upload was already made a print file; ask for a new upload URL to upload another file.",
    ),
    411: codedErrorResponse(
      ["LENGTH_REQUIRED"],
      "Neither a Content-Length nor chunked transfer encoding.",
      "Send the file with a Content-Length header (or chunked transfer encoding).",
    ),
    413: codedErrorResponse(
      ["FILE_TOO_LARGE"],
      "The body passed APF_MAX_FILE_MB: it is cut off there, nothing is stored, the connection closes.",
      "The file is larger than the 100 MB this server accepts (APF_MAX_FILE_MB).",
    ),
    ...errorResponses(429, 500, 503),
  },
});

/** PUT /public/v1/files/upload/{token} */
export function registerUpload(router: PublicRouter) {
  router.openapi(uploadRoute, async (c) => {
    const { token } = c.req.valid("param");
    const apiKey = c.get("apiKey");
    const result = await receiveUpload(
      c.get("services"),
      { organizationId: apiKey.organizationId, issuer: `key:${apiKey.keyId}` },
      token,
      uploadBodyOf(c),
    );
    return json(
      c,
      { success: true as const, data: { size_bytes: result.sizeBytes, sha256: result.sha256 } },
      200,
    );
  });
}
