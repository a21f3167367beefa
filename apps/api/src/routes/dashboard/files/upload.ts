import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { receiveUpload } from "../../../modules/files/receive-upload.ts";
import { dataResponse, errors, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { UploadResultSchema } from "../../public/v1/files/schema.ts";
import { uploadBodyOf } from "../../public/v1/files/upload-body.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "put",
  path: "/orgs/{orgId}/files/upload/{token}",
  operationId: "dashboardUploadFile",
  tags: TAGS,
  summary: "Upload the bytes (any member)",
  description:
    "Step 2 of 3: the raw bytes (`application/octet-stream`), up to APF_MAX_FILE_MB. The same codes as the public route: 400 NO_CONTENT, 401 INVALID_TOKEN / TOKEN_EXPIRED (upload token), 403 (another member's or organization's token), 411 LENGTH_REQUIRED, 413 FILE_TOO_LARGE.",
  security: SESSION_SECURITY,
  request: {
    params: orgParams.extend({
      token: z
        .string()
        .max(4200)
        .openapi({ param: { name: "token", in: "path" } }),
    }),
    body: {
      required: true,
      content: {
        "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
  },
  responses: {
    200: dataResponse(UploadResultSchema, "Stored: the size and SHA-256 of what arrived."),
    ...errors(400, 401, 403, 404, 409, 413),
    411: {
      description: "LENGTH_REQUIRED: neither a Content-Length nor chunked transfer encoding.",
      content: {
        "application/json": { schema: errors(400)[400].content["application/json"].schema },
      },
    },
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { token } = c.req.valid("param");
  const result = await receiveUpload(
    c.get("services"),
    { organizationId: c.get("org").organizationId, issuer: `user:${c.get("session").userId}` },
    token,
    uploadBodyOf(c),
  );
  return json(c, ok({ size_bytes: result.sizeBytes, sha256: result.sha256 }), 200);
};
