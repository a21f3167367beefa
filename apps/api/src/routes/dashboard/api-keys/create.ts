import { mintToken, SCOPES } from "@apf/auth";
import { insertApiKey } from "@apf/db/queries/api-keys";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { recordAudit } from "../../../modules/audit/audit.ts";
import {
  dataResponse,
  errors,
  iso,
  jsonBody,
  ok,
  SESSION_SECURITY,
  text,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { invalidField } from "../../../openapi/validation.ts";
import { orgParams, TAGS } from "../params.ts";
import { mintedKeySchema, scopeSchema } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/api-keys",
  operationId: "dashboardCreateApiKey",
  tags: TAGS,
  summary: "Mint an API key for /public/v1 (owner, admin)",
  description:
    "The response is the only place the full key ever appears; only its SHA-256 and preview are stored.",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParams,
    body: jsonBody(
      z
        .object({
          name: text(100),
          scopes: z
            .array(scopeSchema)
            .min(1, `must name at least one of ${SCOPES.join(", ")}`)
            .transform((s) => [...new Set(s)]),
          expires_at: z.iso
            .datetime({
              offset: true,
              error: "must be an ISO-8601 date-time, e.g. 2027-01-31T00:00:00Z",
            })
            .nullable()
            .optional(),
          rate_limit_per_minute: z
            .number()
            .int("must be a whole number from 1 to 10000")
            .min(1, "must be a whole number from 1 to 10000")
            .max(10000, "must be a whole number from 1 to 10000")
            .nullable()
            .optional(),
        })
        .strict(),
    ),
  },
  responses: {
    201: dataResponse(mintedKeySchema, "The new key, with the full key this one time."),
    ...errors(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const body = c.req.valid("json");
  const { db, clock } = c.get("services");
  const { organizationId } = c.get("org");
  const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= clock.now().getTime()) {
    throw invalidField("json", ["expires_at"], "must be in the future.");
  }
  const minted = mintToken("live");
  const row = await db.transaction(async (tx) => {
    const key = await insertApiKey(tx, {
      organizationId,
      name: body.name,
      keyHash: minted.hash,
      preview: minted.preview,
      scopes: body.scopes,
      expiresAt,
      rateLimitPerMinute: body.rate_limit_per_minute ?? null,
      createdBy: c.get("session").userId,
    });
    await recordAudit(tx, c.get("actor"), {
      organizationId,
      action: "api_key.created",
      target: { type: "api_key", id: key.id },
      details: {
        name: key.name,
        preview: key.preview,
        scopes: key.scopes,
        expires_at: iso(key.expiresAt),
        rate_limit_per_minute: key.rateLimitPerMinute,
      },
    });
    return key;
  });
  return json(
    c,
    ok({
      id: row.id,
      key: minted.token,
      preview: row.preview,
      name: row.name,
      scopes: body.scopes,
      expires_at: iso(row.expiresAt),
      rate_limit_per_minute: row.rateLimitPerMinute,
      created_at: iso(row.createdAt),
    }),
    201,
  );
};
