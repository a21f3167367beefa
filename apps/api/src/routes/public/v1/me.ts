import { isScope, SCOPES } from "@apf/auth";
import { createRoute, z } from "@hono/zod-openapi";
import { KEY_WINDOW_S } from "../../../middleware/rate-limit.ts";
import { AUTHENTICATED_HEADERS, errorResponses } from "../../../openapi/components.ts";
import { iso, itemEnvelope, timestamp } from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { keyOperation, type PublicRouter } from "./operation.ts";

const MeSchema = z
  .object({
    key: z.object({
      id: z.string(),
      name: z.string(),
      prefix: z.string().openapi({
        description: "The key's display form: its prefix and the first and last 4 characters.",
        example: "apf_live_1a2b…9f0e",
      }),
      scopes: z.array(z.enum(SCOPES)),
      created_at: timestamp(),
      expires_at: timestamp().nullable(),
      last_used_at: timestamp()
        .nullable()
        .openapi({ description: "Kept to the minute; before this request." }),
    }),
    organization: z.object({ id: z.string(), name: z.string() }),
    rate_limit: z.object({
      limit: z.int().openapi({ description: "Requests per window." }),
      window_seconds: z.int(),
    }),
  })
  .openapi("Me");

export const meRoute = createRoute({
  method: "get",
  path: "/me",
  operationId: "getMe",
  tags: ["Key"],
  summary: "Describe the calling key",
  ...keyOperation(
    null,
    "The calling key, its organization and its rate budget. Counts against the budget.",
  ),
  responses: {
    200: {
      description: "The key.",
      headers: AUTHENTICATED_HEADERS,
      content: { "application/json": { schema: itemEnvelope(MeSchema) } },
    },
    ...errorResponses(401, 429, 500, 503),
  },
});

/** GET /public/v1/me */
export function registerMe(router: PublicRouter) {
  router.openapi(meRoute, (c) => {
    const key = c.get("apiKey");
    const details = c.get("apiKeyDetails");
    const data = MeSchema.parse({
      key: {
        id: key.keyId,
        name: key.name,
        prefix: details.preview,
        scopes: key.scopes.filter(isScope),
        created_at: iso(key.createdAt),
        expires_at: iso(key.expiresAt),
        last_used_at: iso(key.lastUsedAt),
      },
      organization: { id: details.organization.id, name: details.organization.name },
      rate_limit: { limit: key.rateLimitPerMinute, window_seconds: KEY_WINDOW_S },
    });
    return json(c, { success: true as const, data }, 200);
  });
}
