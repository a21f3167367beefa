import type { Database, Queryable } from "@apf/db";
import {
  type DeliveredAttempt,
  disableWebhookEndpoint,
  failDelivery,
  findDeliveriesForAttempt,
  markEndpointFailing,
  markEndpointHealthy,
  recordAttempt,
  recordDeliveredAttempts,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from "@apf/db/queries/webhooks";
import type { Logger } from "pino";
import { GroupCommit } from "../../platform/group-commit.ts";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.ts";
import { checkUrl, DestinationRefused } from "./destination.ts";
import type { DeliveryQueue } from "./queue.ts";
import type { RetryPolicy } from "./retry-policy.ts";
import { signatureHeader } from "./secret.ts";
import { postWebhook, type SendResult } from "./send.ts";

/** An endpoint whose deliveries all failed for this long is disabled. */
export const FAILING_DISABLES_AFTER_MS = 5 * 24 * 3600 * 1000;

export interface DeliveryDeps {
  db: Database;
  batches: AttemptBatches;
  logger: Logger;
  queue: DeliveryQueue;
  retry: RetryPolicy;
  allowPrivate: boolean;
  timeoutMs?: number;
}

interface DeliveryForAttempt {
  delivery: WebhookDeliveryRow;
  endpoint: WebhookEndpointRow;
}

/**
 * The two statements every attempt makes, shared by the attempts running at once (a worker runs
 * dozens): the delivery read, and the record of a delivered attempt to a healthy endpoint. Each
 * is one statement for all the attempts waiting on it (group commit, no timer).
 */
export interface AttemptBatches {
  find(deliveryId: string): Promise<DeliveryForAttempt | null>;
  /** Whether the attempt was recorded (false: another attempt of it was, meanwhile). */
  recordDelivered(attempt: DeliveredAttempt): Promise<boolean>;
}

const ATTEMPT_BATCH = 64;

export function createAttemptBatches(db: Database): AttemptBatches {
  const finds = new GroupCommit<string, DeliveryForAttempt | null>(async (ids) => {
    const rows = await findDeliveriesForAttempt(db, ids);
    const byId = new Map(rows.map((row) => [row.delivery.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }, ATTEMPT_BATCH);
  const delivered = new GroupCommit<DeliveredAttempt, boolean>(async (attempts) => {
    // A delivery twice in one batch (its task run twice at once): the first one records.
    const first = new Map<string, DeliveredAttempt>();
    for (const a of attempts) if (!first.has(a.deliveryId)) first.set(a.deliveryId, a);
    const recorded = await recordDeliveredAttempts(db, [...first.values()]);
    return attempts.map((a) => first.get(a.deliveryId) === a && recorded.has(a.deliveryId));
  }, ATTEMPT_BATCH);
  return {
    find: (id) => finds.submit("find", id),
    recordDelivered: (attempt) => delivered.submit("delivered", attempt),
  };
}

/** The secrets that sign now: the current one, and the previous one for 24 h after a roll. */
export function signingSecrets(endpoint: WebhookEndpointRow, now: Date): string[] {
  const previousValid =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    endpoint.previousSecretExpiresAt > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** Disables an endpoint and records why in the audit log (once). */
export async function disableEndpoint(
  tx: Queryable,
  endpoint: WebhookEndpointRow,
  reason: string,
): Promise<void> {
  const disabled = await disableWebhookEndpoint(tx, endpoint.id, reason);
  if (!disabled) return;
  await recordAudit(tx, SYSTEM_ACTOR, {
    organizationId: endpoint.organizationId,
    action: "webhook_endpoint.disabled",
    target: { type: "webhook_endpoint", id: endpoint.id },
    details: { url: endpoint.url, reason },
  });
}

/**
 * One attempt of a delivery (the queue's task): signs the stored body per Standard Webhooks,
 * POSTs it (destination rules checked again now), and records the outcome in one transaction:
 * 2xx delivered; 410 Gone disables the endpoint; anything else schedules the next attempt by the
 * retry policy, as a new task in that same transaction, or fails the delivery after the last (and
 * disables an endpoint failing for 5 days). A task for a delivery that is no longer pending
 * does nothing, so a task run twice cannot deliver twice in a row.
 */
export async function attemptDelivery(deps: DeliveryDeps, deliveryId: string): Promise<void> {
  const { db } = deps;
  const found = await deps.batches.find(deliveryId);
  if (found?.delivery.status !== "pending") return;
  const { delivery, endpoint } = found;
  if (!endpoint.enabled) {
    await failDelivery(db, delivery.id, `the endpoint is disabled (${endpoint.disabledReason})`);
    return;
  }
  const now = new Date();
  let result: SendResult;
  try {
    const url = checkUrl(endpoint.url, deps.allowPrivate);
    result = await postWebhook(
      url,
      {
        "content-type": "application/json",
        "user-agent": "apf-webhooks/1",
        "webhook-id": delivery.messageId,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": signatureHeader(
          signingSecrets(endpoint, now),
          delivery.messageId,
          now,
          delivery.body,
        ),
      },
      delivery.body,
      { allowPrivate: deps.allowPrivate, timeoutMs: deps.timeoutMs },
    );
  } catch (error) {
    if (!(error instanceof DestinationRefused)) throw error;
    result = {
      httpStatus: null,
      durationMs: 0,
      response: null,
      error: `refused: ${error.message}`,
    };
  }
  const attempts = delivery.attempts + 1;
  const ok = result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300;
  const base = {
    attempts,
    httpStatus: result.httpStatus,
    durationMs: result.durationMs,
    response: result.response,
    error: result.error,
  };
  if (ok && endpoint.failingSince === null) {
    // The common case, batched: a healthy endpoint has nothing else to change.
    await deps.batches.recordDelivered({
      deliveryId: delivery.id,
      previousAttempts: delivery.attempts,
      httpStatus: result.httpStatus!,
      durationMs: result.durationMs,
      response: result.response,
    });
    logAttempt(deps, delivery.id, attempts, result.httpStatus, ok);
    return;
  }
  await db.transaction(async (tx) => {
    if (ok) {
      const recorded = await recordAttempt(tx, delivery.id, delivery.attempts, {
        ...base,
        status: "delivered",
        retryInS: null,
      });
      if (recorded) await markEndpointHealthy(tx, endpoint.id);
      return;
    }
    if (result.httpStatus === 410) {
      const recorded = await recordAttempt(tx, delivery.id, delivery.attempts, {
        ...base,
        status: "failed",
        retryInS: null,
      });
      if (recorded) await disableEndpoint(tx, endpoint, "the endpoint answered 410 Gone");
      return;
    }
    const failingSince = await markEndpointFailing(tx, endpoint.id);
    const failingTooLong = Date.now() - failingSince.getTime() >= FAILING_DISABLES_AFTER_MS;
    const retryInS = failingTooLong ? null : deps.retry.delayAfter(attempts);
    const recorded = await recordAttempt(tx, delivery.id, delivery.attempts, {
      ...base,
      status: retryInS === null ? "failed" : "pending",
      retryInS,
    });
    if (!recorded) return;
    if (failingTooLong) {
      await disableEndpoint(tx, endpoint, "every delivery failed for 5 days");
    } else if (retryInS !== null) {
      await deps.queue.add(tx, [delivery.id], retryInS);
    }
  });
  logAttempt(deps, delivery.id, attempts, result.httpStatus, ok);
}

function logAttempt(
  deps: DeliveryDeps,
  deliveryId: string,
  attempt: number,
  status: number | null,
  ok: boolean,
) {
  deps.logger.debug({ delivery_id: deliveryId, attempt, status, ok }, "webhook attempt");
}
