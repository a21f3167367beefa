import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { organizations } from "./organizations.ts";

export const ACTOR_TYPES = ["user", "api_key", "agent", "system", "anonymous"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    /** Null for events with no organization, such as a failed sign-in for an unknown email. */
    organizationId: uuid("organization_id").references(() => organizations.id, {
      onDelete: "cascade",
    }),
    action: text("action").notNull(),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    actorId: text("actor_id"),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** Never holds a secret. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_org_created_idx").on(t.organizationId, t.createdAt.desc()),
    index("audit_events_actor_idx").on(t.actorType, t.actorId),
  ],
);
