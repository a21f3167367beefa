import { boolean, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant, REVOKED_REASONS } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

export const agents = pgTable(
  "agents",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 (hex) of the whole apf_agent_ token. */
    tokenHash: text("token_hash").notNull(),
    preview: text("preview").notNull(),
    /** What the agent said of itself in its last report. */
    version: text("version"),
    hostname: text("hostname"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at"),
    /**
     * Reporting within the stale window, as last announced (agent.connected when a report finds
     * it false, agent.disconnected when the events sweep finds it stale).
     */
    connected: boolean("connected").notNull().default(false),
    revokedAt: instant("revoked_at"),
    /** Why it was revoked: "manual" (an owner or admin) or "leaked" (reported by secret scanning). */
    revokedReason: text("revoked_reason", { enum: REVOKED_REASONS }),
  },
  (t) => [
    uniqueIndex("agents_token_hash_key").on(t.tokenHash),
    index("agents_org_idx").on(t.organizationId, t.createdAt),
  ],
);
