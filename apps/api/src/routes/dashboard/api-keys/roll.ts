import type { Scope } from "@apf/auth";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { type OrgEnv, requireManager } from "../../../middleware/org-access.ts";
import { MAX_ROLL_GRACE_HOURS, rollApiKey } from "../../../modules/keys/roll-api-key.ts";
import {
  dataResponse,
  errors,
  iso,
  jsonBody,
  ok,
  SESSION_SECURITY,
  timestamp,
} from "../../../openapi/kit.ts";
import { json } from "../../../openapi/respond.ts";
import { orgParamsWith, TAGS } from "../params.ts";
import { mintedKeySchema } from "./schemas.ts";

const graceMessage = `must be a whole number of hours from 0 to ${MAX_ROLL_GRACE_HOURS}`;

export const route = createRoute({
  method: "post",
  path: "/orgs/{orgId}/api-keys/{keyId}/roll",
  operationId: "dashboardRollApiKey",
  tags: TAGS,
  summary:
    "Replace an API key with a new one, the old one working for a grace period (owner, admin)",
  description:
    "Mints a new key with the same name, scopes, budget and expiry, shown this once, and brings the old key's `expires_at` forward to the earlier of its own expiry and now + `grace_hours` (0: it stops at once). Audited (`api_key.rolled`). A revoked or expired key is 409. At most the current key and one old key work: rolling the new key while the old one is in its grace ends that grace at once, and a key already rolled is 409 (roll its replacement).",
  security: SESSION_SECURITY,
  middleware: [requireManager] as const,
  request: {
    params: orgParamsWith("keyId"),
    body: jsonBody(
      z
        .object({
          grace_hours: z
            .number(graceMessage)
            .int(graceMessage)
            .min(0, graceMessage)
            .max(MAX_ROLL_GRACE_HOURS, graceMessage),
        })
        .strict(),
    ),
  },
  responses: {
    201: dataResponse(
      mintedKeySchema.extend({
        rolled_from: z.object({ id: z.uuid(), expires_at: timestamp() }),
      }),
      "The new key, with the full key this one time, and the old key's new expiry.",
    ),
    ...errors(400, 401, 403, 404, 409),
  },
});

export const handler: RouteHandler<typeof route, OrgEnv> = async (c) => {
  const { keyId } = c.req.valid("param");
  const { grace_hours } = c.req.valid("json");
  const { clock } = c.get("services");
  const rolled = await rollApiKey(
    c.get("services"),
    {
      origin: c.get("actor"),
      organizationId: c.get("org").organizationId,
      userId: c.get("session").userId,
      now: clock.now(),
    },
    keyId,
    grace_hours,
  );
  const { key } = rolled;
  return json(
    c,
    ok({
      id: key.id,
      key: rolled.token,
      preview: key.preview,
      name: key.name,
      scopes: key.scopes as Scope[],
      expires_at: iso(key.expiresAt),
      rate_limit_per_minute: key.rateLimitPerMinute,
      created_at: iso(key.createdAt),
      rolled_from: { id: rolled.old.id, expires_at: iso(rolled.old.expiresAt) },
    }),
    201,
  );
};
