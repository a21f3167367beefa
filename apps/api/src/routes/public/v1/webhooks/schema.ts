import { WEBHOOK_DELIVERY_STATUSES } from "@apf/db";
import type { WebhookDeliveryRow, WebhookEndpointRow } from "@apf/db/queries/webhooks";
import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../../errors.ts";
import { iso, isUuid, text, timestamp } from "../../../../openapi/kit.ts";
import { EventTypeSchema } from "../events/schema.ts";

/** An endpoint as integrators and the dashboard see it (never its secret). */
export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(EventTypeSchema).openapi({
      description:
        "The event types sent; empty: every type except `printer.updated` (which is sent only when named).",
    }),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().openapi({
      description:
        "Why it is disabled: by a person, `410 Gone` from the receiver, or every delivery failing for 5 days.",
    }),
    previous_secret_expires_at: timestamp().nullable().openapi({
      description: "After a roll, the old secret also signs until then (24 hours).",
    }),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("WebhookEndpoint");

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    description:
      "The signing secret (`whsec_` + base64), shown this once: verify deliveries with it (Standard Webhooks).",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
}).openapi("WebhookEndpointWithSecret");

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z
      .string()
      .openapi({ description: "The `webhook-id` sent (`evt_…`, or `msg_…` for a ping)." }),
    event_type: z.string().openapi({ example: "job.completed" }),
    sequence: z.int().nullable(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).openapi({
      description:
        "`pending` (an attempt is due at `next_attempt_at`), `delivered` (2xx), `failed` (no attempt left, 410, or the endpoint was disabled).",
    }),
    attempts: z.int(),
    http_status: z
      .int()
      .nullable()
      .openapi({ description: "The receiver's status at the last attempt." }),
    duration_ms: z.int().nullable(),
    response: z
      .string()
      .nullable()
      .openapi({ description: "The first 1 KiB of the receiver's answer." }),
    error: z
      .string()
      .nullable()
      .openapi({ description: "Why the last attempt got no answer (timeout, refused…)." }),
    next_attempt_at: timestamp().nullable(),
    last_attempt_at: timestamp().nullable(),
    delivered_at: timestamp().nullable(),
    created_at: timestamp(),
  })
  .openapi("WebhookDelivery");

const urlField = text(2000).openapi({
  description:
    "Where events are POSTed: `https://`, resolving to a public address (checked now and before every delivery).",
  example: "https://example.com/apf/webhooks",
});
const typesField = z.array(EventTypeSchema).max(EventTypeSchema.options.length);

export const WebhookEndpointCreateSchema = z
  .object({
    url: urlField,
    event_types: typesField
      .optional()
      .openapi({ description: "Default: all (see `event_types`)." }),
    description: text(500).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi("WebhookEndpointCreate");

export const WebhookEndpointPatchSchema = z
  .object({
    url: urlField.optional(),
    event_types: typesField.optional(),
    description: text(500).nullable().optional(),
    enabled: z
      .boolean()
      .optional()
      .openapi({ description: "`true` enables a disabled endpoint again." }),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "must change at least one field")
  .openapi("WebhookEndpointPatch");

export function toPublicEndpoint(row: WebhookEndpointRow): z.infer<typeof WebhookEndpointSchema> {
  return WebhookEndpointSchema.parse({
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes,
    enabled: row.enabled,
    disabled_reason: row.enabled ? null : row.disabledReason,
    previous_secret_expires_at: iso(row.previousSecretExpiresAt),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  });
}

export function toPublicDelivery(row: WebhookDeliveryRow): z.infer<typeof WebhookDeliverySchema> {
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    event_id: row.messageId,
    event_type: row.eventType,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    http_status: row.lastStatus,
    duration_ms: row.lastDurationMs,
    response: row.lastResponse,
    error: row.lastError,
    next_attempt_at: iso(row.nextAttemptAt),
    last_attempt_at: iso(row.lastAttemptAt),
    delivered_at: iso(row.deliveredAt),
    created_at: iso(row.createdAt),
  };
}

/** The `{id}` of an endpoint: malformed ids are 404 like unknown ones. */
export function endpointIdOr404(id: string): string {
  if (!isUuid(id))
    throw new ApiError("NOT_FOUND", "No such webhook endpoint in this organization.");
  return id;
}
