import type { CommandRow } from "@apf/db/queries/commands";
import {
  COMMAND_ACTIONS,
  COMMAND_STATUSES,
  CONTROL_ACTIONS,
  CONTROL_ANSWER_STATUSES,
} from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../../openapi/kit.ts";
import { IDEMPOTENCY_KEY_PATTERN } from "../../../../platform/idempotency.ts";

/** `{"action": …}` of both control routes (public and dashboard). */
export const ControlBodySchema = z
  .object({
    action: z.enum(CONTROL_ACTIONS).openapi({
      description:
        "`pause` (needs `printing`), `resume` (needs `paused`), `stop` (needs `printing` or `paused`), `clear_bed` (needs `idle` and no open job; recorded by the backend, nothing is sent to the printer).",
    }),
  })
  .strict()
  .openapi("ControlRequest");

/** What a control request answers with 200 or 202. */
export const ControlAnswerSchema = z
  .object({
    printer_id: z.string(),
    action: z.enum(CONTROL_ACTIONS),
    status: z.enum(CONTROL_ANSWER_STATUSES).openapi({
      description:
        "`acknowledged` (200): the agent carried it out and OctoPrint accepted it. `dispatched` (202): the agent has it, no result within 10 s. `pending` (202): not yet taken by the agent; it expires unless taken within 30 s of the request.",
    }),
    command_id: z.string().openapi({ description: "Follow up with GET /public/v1/commands/{id}." }),
  })
  .openapi("ControlAnswer");

/** The optional Idempotency-Key header of both control routes. */
export const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .regex(IDEMPOTENCY_KEY_PATTERN, "must be 1 to 255 printable ASCII characters")
    .optional()
    .openapi({
      param: { in: "header" },
      description:
        "A repeat with the same key and the same body within 24 hours answers what the first answered and sends nothing; the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.",
      example: "pause-printer-7-2026-11-23T10:00",
    }),
});

/** A command as integrators see it. */
export const CommandSchema = z
  .object({
    id: z.string(),
    printer_id: z.string(),
    action: z.enum(COMMAND_ACTIONS),
    status: z.enum(COMMAND_STATUSES).openapi({
      description:
        "`pending` (waiting for the agent), `dispatched` (handed to the agent), `acknowledged` (carried out), `failed` (the agent or OctoPrint refused; see `error`), `expired` (not delivered within 30 s; never run).",
    }),
    requested_at: timestamp(),
    dispatched_at: timestamp().nullable(),
    completed_at: timestamp().nullable(),
    error: z.string().nullable(),
  })
  .openapi("Command");

/** A stored command → the public item. */
export function toPublicCommand(row: CommandRow) {
  return CommandSchema.parse({
    id: row.id,
    printer_id: row.printerId,
    action: row.action,
    status: row.status,
    requested_at: iso(row.requestedAt),
    dispatched_at: iso(row.dispatchedAt),
    completed_at: iso(row.completedAt),
    error: row.error,
  });
}
