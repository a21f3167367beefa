import { createHash } from "node:crypto";
import {
  claimIdempotencyKey,
  releaseIdempotencyKey,
  storeIdempotentResponse,
} from "@apf/db/queries/idempotency";
import type { Services } from "../context.ts";
import { DomainError, type ErrorCode, OUR_SIDE_CODES } from "../domain-error.ts";

/** How long a key's first answer is kept and repeated. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The Idempotency-Key header: 1–255 printable ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** What a key keeps: the operation's answer, or its refusal (code, sentence, fields). */
type Stored =
  | { answer: unknown }
  | { code: ErrorCode; error: string; fields?: Record<string, unknown> };

export interface IdempotencyScope {
  organizationId: string;
  /** Whose key space: `api_key:<id>` or `user:<id>`. */
  principal: string;
  /**
   * The operation (its operationId): with the organization and the principal, the key's identity,
   * so a key replayed through another organization's or another operation's route is a new key.
   */
  operation: string;
  /** The Idempotency-Key header, or undefined when the request carries none. */
  key: string | undefined;
  /** The operation and everything that makes the request what it is (path ids, body). */
  request: unknown;
}

/**
 * Runs `run` once per Idempotency-Key (of this organization, principal and operation): a repeat
 * with the same request within 24 hours gets what the first got (its answer, or its refusal
 * thrown again) without running again; the same key with another request is
 * IDEMPOTENCY_KEY_REUSED; a repeat while the first is still running is CONFLICT. A failure on
 * our side (OUR_SIDE_CODES, or any other error) is not kept, so a retry with the same key runs
 * again.
 */
export async function idempotent<T>(
  services: Pick<Services, "db" | "clock">,
  scope: IdempotencyScope,
  run: () => Promise<T>,
): Promise<T> {
  if (scope.key === undefined) return run();
  const { db, clock } = services;
  const now = clock.now();
  const requestHash = createHash("sha256").update(JSON.stringify(scope.request)).digest("hex");
  const { claimed, record } = await claimIdempotencyKey(db, {
    organizationId: scope.organizationId,
    principal: scope.principal,
    operation: scope.operation,
    key: scope.key,
    requestHash,
    now,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  });
  if (!claimed) {
    if (record.requestHash !== requestHash) {
      throw new DomainError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was used with a different request in the last 24 hours; use a new key for a new request.",
      );
    }
    if (record.responseBody === null) {
      throw new DomainError(
        "CONFLICT",
        "A request with this Idempotency-Key is still being answered; retry in a few seconds.",
        { retryAfterS: 2 },
      );
    }
    const stored = record.responseBody as Stored | Record<string, unknown>;
    if (!("answer" in stored) && !("code" in stored)) {
      // Kept by a version before answers were stored without HTTP (an envelope): it cannot be
      // repeated faithfully, and running again could do the work twice.
      throw new DomainError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was answered by an earlier version of apf and cannot be repeated; check the outcome (e.g. GET the command or job) and use a new key for a new request.",
      );
    }
    if ("code" in stored) {
      const refusal = stored as Extract<Stored, { code: ErrorCode }>;
      throw new DomainError(refusal.code, refusal.error, { fields: refusal.fields ?? {} });
    }
    return (stored as { answer: T }).answer;
  }
  try {
    const answer = await run();
    const stored: Stored = { answer };
    await storeIdempotentResponse(db, record.id, stored);
    return answer;
  } catch (error) {
    if (error instanceof DomainError && !OUR_SIDE_CODES.has(error.code)) {
      const stored: Stored = { code: error.code, error: error.message, fields: error.fields };
      await storeIdempotentResponse(db, record.id, stored);
    } else {
      await releaseIdempotencyKey(db, record.id);
    }
    throw error;
  }
}
