import { and, eq, lte } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { idempotencyRecords } from "../schema/index.ts";

export type IdempotencyRecord = typeof idempotencyRecords.$inferSelect;

/** A key's identity: organization, principal, operation and the key itself. */
export interface IdempotencyClaim {
  organizationId: string;
  principal: string;
  operation: string;
  key: string;
  requestHash: string;
  now: Date;
  expiresAt: Date;
}

/**
 * Claims an Idempotency-Key for a first request, or returns the record that already holds it
 * (`claimed: false`): the first request's answer, or a null body while it is still in flight.
 * A record past its expiry is dropped first, so the key is free again after 24 hours.
 */
export async function claimIdempotencyKey(
  db: Queryable,
  claim: IdempotencyClaim,
): Promise<{ claimed: boolean; record: IdempotencyRecord }> {
  const same = and(
    eq(idempotencyRecords.organizationId, claim.organizationId),
    eq(idempotencyRecords.principal, claim.principal),
    eq(idempotencyRecords.operation, claim.operation),
    eq(idempotencyRecords.key, claim.key),
  );
  await db
    .delete(idempotencyRecords)
    .where(and(same, lte(idempotencyRecords.expiresAt, claim.now)));
  const [inserted] = await db
    .insert(idempotencyRecords)
    .values({
      organizationId: claim.organizationId,
      principal: claim.principal,
      operation: claim.operation,
      key: claim.key,
      requestHash: claim.requestHash,
      createdAt: claim.now,
      expiresAt: claim.expiresAt,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { claimed: true, record: inserted };
  const [existing] = await db.select().from(idempotencyRecords).where(same).limit(1);
  if (!existing) return claimIdempotencyKey(db, claim);
  return { claimed: false, record: existing };
}

/**
 * Stores the answer (or refusal) of the request that claimed the key: from then on the record is
 * no longer in flight.
 */
export async function storeIdempotentResponse(db: Queryable, recordId: string, body: object) {
  await db
    .update(idempotencyRecords)
    .set({ responseBody: body })
    .where(eq(idempotencyRecords.id, recordId));
}

/** Frees a claimed key whose request ended without an answer worth repeating (a retryable 5xx). */
export async function releaseIdempotencyKey(db: Queryable, recordId: string) {
  await db.delete(idempotencyRecords).where(eq(idempotencyRecords.id, recordId));
}
