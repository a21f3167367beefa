import {
  type AnyPgColumn,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, instant, REVOKED_REASONS } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 (hex) of the whole apf_live_ key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    /** apf_live_1a2b…9f0e, for display. */
    preview: text("preview").notNull(),
    scopes: text("scopes").array().notNull(),
    /** Requests per minute; null means the default budget. */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    expiresAt: instant("expires_at"),
    revokedAt: instant("revoked_at"),
    /** Why it was revoked: "manual" (an owner or admin) or "leaked" (reported by secret scanning). */
    revokedReason: text("revoked_reason", { enum: REVOKED_REASONS }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The key this one replaced in a roll (that key then works only for its grace period). */
    rolledFromId: uuid("rolled_from_id").references((): AnyPgColumn => apiKeys.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_key").on(t.keyHash),
    index("api_keys_org_created_idx").on(t.organizationId, t.createdAt),
    index("api_keys_rolled_from_idx").on(t.rolledFromId),
  ],
);
