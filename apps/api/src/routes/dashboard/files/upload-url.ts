import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { OrgEnv } from "../../../middleware/org-access.ts";
import { prepareUpload } from "../../../modules/files/prepare-upload.ts";
import { dataResponse, errors, jsonBody, ok, SESSION_SECURITY } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import {
  toUploadUrl,
  UploadUrlRequestSchema,
  UploadUrlSchema,
} from "../../public/v1/files/schema.ts";
import { orgParams, TAGS } from "../params.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/files/upload-url",
  operationId: "dashboardCreateFileUploadUrl",
  tags: TAGS,
  summary: "Start an upload (any member)",
  description:
    "Step 1 of 3, as on the public API: a file id, storage key and upload token (1 hour, bound to the organization and to the member). 415 UNSUPPORTED_FILE_TYPE for a file that is not G-code.",
  security: SESSION_SECURITY,
  request: { params: orgParams, body: jsonBody(UploadUrlRequestSchema) },
  responses: {
    201: dataResponse(UploadUrlSchema, "Where and how to upload."),
    ...errors(400, 401, 403, 404, 415),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const input = c.req.valid("json");
  const { organizationId } = c.get("org");
  const prepared = prepareUpload(c.get("services"), {
    organizationId,
    issuer: `user:${c.get("session").userId}`,
    filename: input.filename,
    contentType: input.content_type,
  });
  return json(c, ok(toUploadUrl(prepared, `/api/orgs/${organizationId}/files/upload`)), 201);
};
