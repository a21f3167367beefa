import { randomBytes } from "node:crypto";
import {
  deleteWebhookEndpoint,
  findDelivery,
  findWebhookEndpoint,
  insertDelivery,
  insertWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  rollWebhookSecret,
  updateWebhookEndpoint,
  type WebhookEndpointRow,
} from "@apf/db/queries/webhooks";
import type { EventType } from "@apf/domain";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { type OrgActor, recordAudit } from "../audit/audit.ts";
import { checkUrl, DestinationRefused, resolveDestination } from "./destination.ts";
import { mintWebhookSecret } from "./secret.ts";

/** A rolled secret keeps signing this long. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3600 * 1000;
/** Endpoints one organization may have. */
export const MAX_ENDPOINTS = 20;

type WebhookServices = Pick<Services, "db" | "clock" | "webhooks">;

/** Who manages endpoints: a key with webhooks:write or an owner or admin, in their organization. */
export type EndpointActor = OrgActor;

export interface EndpointInput {
  url: string;
  eventTypes: EventType[];
  description: string | null;
  enabled: boolean;
}

const notFound = () =>
  new DomainError("NOT_FOUND", "No such webhook endpoint in this organization.");

function refused(rule: string) {
  return new DomainError("INVALID_REQUEST", `Invalid "url": ${rule}.`, {
    fields: { details: [{ path: ["url"], message: rule }] },
  });
}

/** The URL rules at creation: https (unless allowed), and a host resolving to public addresses only. */
async function checkedUrl(services: WebhookServices, raw: string): Promise<string> {
  const allowPrivate = services.webhooks.allowPrivate;
  try {
    const url = checkUrl(raw, allowPrivate);
    // With private addresses allowed there is nothing to check the address against.
    if (!allowPrivate) await resolveDestination(url.hostname, allowPrivate);
    return url.toString();
  } catch (error) {
    if (error instanceof DestinationRefused) throw refused(error.message);
    throw error;
  }
}

export function listEndpoints(services: WebhookServices, organizationId: string) {
  return listWebhookEndpoints(services.db, organizationId);
}

export async function getEndpoint(services: WebhookServices, organizationId: string, id: string) {
  const row = await findWebhookEndpoint(services.db, organizationId, id);
  if (!row) throw notFound();
  return row;
}

/** Creates an endpoint; its secret is returned this once. */
export async function createEndpoint(
  services: WebhookServices,
  actor: EndpointActor,
  input: EndpointInput,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const url = await checkedUrl(services, input.url);
  const secret = mintWebhookSecret();
  const endpoint = await services.db.transaction(async (tx) => {
    const existing = await listWebhookEndpoints(tx, actor.organizationId);
    if (existing.length >= MAX_ENDPOINTS) {
      throw new DomainError(
        "CONFLICT",
        `An organization may have at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`,
      );
    }
    const row = await insertWebhookEndpoint(tx, {
      organizationId: actor.organizationId,
      url,
      description: input.description,
      eventTypes: input.eventTypes,
      enabled: input.enabled,
      secret,
    });
    await recordAudit(tx, actor, {
      organizationId: actor.organizationId,
      action: "webhook_endpoint.created",
      target: { type: "webhook_endpoint", id: row.id },
      details: { url, event_types: input.eventTypes },
    });
    return row;
  });
  return { endpoint, secret };
}

export async function updateEndpoint(
  services: WebhookServices,
  actor: EndpointActor,
  id: string,
  patch: Partial<EndpointInput>,
): Promise<WebhookEndpointRow> {
  const url = patch.url === undefined ? undefined : await checkedUrl(services, patch.url);
  return services.db.transaction(async (tx) => {
    const row = await updateWebhookEndpoint(
      tx,
      actor.organizationId,
      id,
      {
        ...(url !== undefined ? { url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.eventTypes !== undefined ? { eventTypes: patch.eventTypes } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      },
      services.clock.now(),
    );
    if (!row) throw notFound();
    await recordAudit(tx, actor, {
      organizationId: actor.organizationId,
      action: "webhook_endpoint.updated",
      target: { type: "webhook_endpoint", id },
      details: { changes: { ...patch, ...(url ? { url } : {}) } },
    });
    return row;
  });
}

export async function deleteEndpoint(services: WebhookServices, actor: EndpointActor, id: string) {
  await services.db.transaction(async (tx) => {
    const row = await deleteWebhookEndpoint(tx, actor.organizationId, id);
    if (!row) throw notFound();
    await recordAudit(tx, actor, {
      organizationId: actor.organizationId,
      action: "webhook_endpoint.deleted",
      target: { type: "webhook_endpoint", id },
      details: { url: row.url },
    });
  });
}

/** A new secret, returned this once; the old one also signs for 24 hours. */
export async function rollEndpointSecret(
  services: WebhookServices,
  actor: EndpointActor,
  id: string,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = mintWebhookSecret();
  const endpoint = await services.db.transaction(async (tx) => {
    const row = await rollWebhookSecret(
      tx,
      actor.organizationId,
      id,
      secret,
      new Date(Date.now() + PREVIOUS_SECRET_VALID_MS),
    );
    if (!row) throw notFound();
    await recordAudit(tx, actor, {
      organizationId: actor.organizationId,
      action: "webhook_endpoint.secret_rolled",
      target: { type: "webhook_endpoint", id },
    });
    return row;
  });
  return { endpoint, secret };
}

/** Sends a `ping` to the endpoint now (through the queue, like any delivery). */
export async function pingEndpoint(services: WebhookServices, actor: EndpointActor, id: string) {
  return services.db.transaction(async (tx) => {
    const endpoint = await findWebhookEndpoint(tx, actor.organizationId, id);
    if (!endpoint) throw notFound();
    const messageId = `msg_${randomBytes(16).toString("hex")}`;
    const delivery = await insertDelivery(tx, {
      organizationId: actor.organizationId,
      endpointId: id,
      messageId,
      eventType: "ping",
      sequence: null,
      body: JSON.stringify({
        type: "ping",
        timestamp: new Date().toISOString(),
        data: { endpoint_id: id, message: "A test from apf: this endpoint receives events." },
      }),
    });
    await services.webhooks.queue.add(tx, [delivery.id], 0);
    await recordAudit(tx, actor, {
      organizationId: actor.organizationId,
      action: "webhook_endpoint.tested",
      target: { type: "webhook_endpoint", id },
      details: { delivery_id: delivery.id },
    });
    return delivery;
  });
}

export async function endpointDeliveries(
  services: WebhookServices,
  organizationId: string,
  endpointId: string,
  limit: number,
) {
  if (!(await findWebhookEndpoint(services.db, organizationId, endpointId))) throw notFound();
  return listDeliveries(services.db, organizationId, endpointId, limit);
}

/** Sends a delivery again, as a new delivery of the same message (same `webhook-id`). */
export async function redeliver(
  services: WebhookServices,
  actor: EndpointActor,
  endpointId: string,
  deliveryId: string,
) {
  return services.db.transaction(async (tx) => {
    const original = await findDelivery(tx, actor.organizationId, endpointId, deliveryId);
    if (!original) throw new DomainError("NOT_FOUND", "No such delivery of this endpoint.");
    const copy = await insertDelivery(tx, {
      organizationId: actor.organizationId,
      endpointId,
      messageId: original.messageId,
      eventType: original.eventType,
      sequence: original.sequence,
      body: original.body,
    });
    await services.webhooks.queue.add(tx, [copy.id], 0);
    await recordAudit(tx, actor, {
      organizationId: actor.organizationId,
      action: "webhook_delivery.redelivered",
      target: { type: "webhook_endpoint", id: endpointId },
      details: { delivery_id: deliveryId, new_delivery_id: copy.id },
    });
    return copy;
  });
}
