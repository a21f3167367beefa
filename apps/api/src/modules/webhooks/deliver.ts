import type { Database, Queryable } from "@apf/db";
import {
  disableWebhookEndpoint,
  failDelivery,
  findDeliveryForAttempt,
  markEndpointFailing,
  markEndpointHealthy,
  recordAttempt,
  type WebhookEndpointRow,
} from "@apf/db/queries/webhooks";
import type { Logger } from "pino";
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
  logger: Logger;
  queue: DeliveryQueue;
  retry: RetryPolicy;
  allowPrivate: boolean;
  timeoutMs?: number;
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
  const found = await findDeliveryForAttempt(db, deliveryId);
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
    // The common case, in one statement: a healthy endpoint has nothing else to change.
    await recordAttempt(db, delivery.id, delivery.attempts, {
      ...base,
      status: "delivered",
      retryInS: null,
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
