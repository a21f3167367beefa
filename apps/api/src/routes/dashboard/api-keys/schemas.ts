import { SCOPES } from "@apf/auth";
import { z } from "@hono/zod-openapi";
import { timestamp } from "../../../openapi/kit.ts";

export const scopeSchema = z.enum(SCOPES, { error: `must be one of ${SCOPES.join(", ")}` });

/** A key as listed: never the key itself, only its preview. */
export const apiKeySchema = z.object({
  id: z.uuid(),
  preview: z.string().openapi({ example: "apf_live_1a2b…9f0e" }),
  name: z.string(),
  scopes: z.array(scopeSchema),
  created_by: z.object({ id: z.uuid(), email: z.string() }).nullable(),
  created_at: timestamp(),
  last_used_at: timestamp().nullable(),
  expires_at: timestamp().nullable(),
  revoked_at: timestamp().nullable(),
  revoked_reason: z.enum(["manual", "leaked"]).nullable().openapi({
    description:
      "Why the key was revoked: `manual` (an owner or admin), `leaked` (reported by GitHub secret scanning and revoked by itself); null while active.",
  }),
  rate_limit_per_minute: z.number().int().nullable(),
  replaced_by: z.object({ id: z.uuid(), preview: z.string() }).nullable().openapi({
    description:
      "The key that replaced this one in a roll: this one then works only until `expires_at` and cannot be rolled again; null when it was not rolled.",
  }),
});

/** A key just minted (created or rolled): the only answers that carry the full key. */
export const mintedKeySchema = z.object({
  id: z.uuid(),
  key: z.string().openapi({ description: "The full apf_live_ key, shown this once." }),
  preview: z.string(),
  name: z.string(),
  scopes: z.array(scopeSchema),
  expires_at: timestamp().nullable(),
  rate_limit_per_minute: z.number().int().nullable(),
  created_at: timestamp(),
});
