import { eq } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { organizations } from "../schema/index.ts";

/** The organization with this id, or undefined. */
export async function findOrganization(db: Queryable, organizationId: string) {
  const [row] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  return row;
}

export interface OrganizationPatch {
  name?: string;
  allowedOrigins?: string[];
  /** IANA time zone in which analytics count days. */
  timeZone?: string;
  autoStart?: boolean;
  startSpacingSeconds?: number;
}

/** Applies the given settings; undefined when there is no such organization. */
export async function updateOrganization(
  db: Queryable,
  organizationId: string,
  patch: OrganizationPatch,
  at: Date,
) {
  const [row] = await db
    .update(organizations)
    .set({ ...patch, updatedAt: at })
    .where(eq(organizations.id, organizationId))
    .returning();
  return row;
}

/**
 * Locks the organization's row until the transaction ends, so that membership changes of one
 * organization happen one at a time (the last-owner rule cannot be raced).
 */
export async function lockOrganization(db: Queryable, organizationId: string): Promise<void> {
  await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for("update");
}
