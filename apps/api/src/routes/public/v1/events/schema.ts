import type { NumberedEvent } from "@apf/db/queries/events";
import { EVENT_TYPES, type EventType, isEventType } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { timestamp } from "../../../../openapi/kit.ts";

/** The event types, as every schema names them (declared once in @apf/domain). */
export const EventTypeSchema = z.enum(EVENT_TYPES).openapi("EventType", {
  description: "What happened; docs/events.md gives each type's `data`.",
});

/** An event as the list, the stream and webhooks carry it. */
export const EventSchema = z
  .object({
    id: z.string().openapi({
      example: "evt_0b6c1f0e8a6f4d2c9e3a7b5d1c2e4f60",
      description: "Unique; a webhook's `webhook-id` (receivers deduplicate on it).",
    }),
    sequence: z.int().min(1).openapi({
      description:
        "The organization's event number: 1, 2, 3… without gaps, in commit order. The stream's event id (`Last-Event-ID`), the list's `after`.",
    }),
    type: EventTypeSchema,
    created_at: timestamp(),
    organization_id: z.string(),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        "The object after the change, as the public API shows it (a Printer, Job, Command, InventoryItem, WorklistTask, Hub; for an API key its id, name and preview).",
    }),
  })
  .openapi("Event");

/** The public id of an event row: `evt_` and its UUID's hex. */
export function publicEventId(id: string): string {
  return `evt_${id.replaceAll("-", "")}`;
}

/** A numbered event → the public item. */
export function toPublicEvent(row: NumberedEvent): z.infer<typeof EventSchema> {
  return {
    id: publicEventId(row.id),
    sequence: row.sequence,
    type: row.type,
    created_at: row.createdAt.toISOString(),
    organization_id: row.organizationId,
    data: row.data,
  };
}

const serialized = new WeakMap<NumberedEvent, string>();

/** The event's JSON, made once however many streams of this instance carry it. */
export function eventJson(row: NumberedEvent): string {
  let json = serialized.get(row);
  if (json === undefined) {
    json = JSON.stringify(toPublicEvent(row));
    serialized.set(row, json);
  }
  return json;
}

const TYPES_MESSAGE = `must be event types separated by commas: ${EVENT_TYPES.join(", ")}`;

/** `types=job.completed,printer.status_changed`: only these; absent or empty: all. */
export const eventTypesQuery = z
  .string({
    error: (issue) => (Array.isArray(issue.input) ? "must be given once" : TYPES_MESSAGE),
  })
  .max(2000, TYPES_MESSAGE)
  .transform((value, ctx) => {
    const types = value
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== "");
    for (const t of types) {
      if (!isEventType(t)) {
        ctx.addIssue({
          code: "custom",
          message: `unknown event type "${t.slice(0, 60)}"; ${TYPES_MESSAGE}`,
        });
        return z.NEVER;
      }
    }
    return [...new Set(types)] as EventType[];
  })
  .optional()
  .openapi({
    type: "string",
    description: "Only these event types, separated by commas (default: all).",
    example: "job.completed,printer.status_changed",
  });
