import { PRINTER_VIEW_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import type { HubView } from "../../../../modules/hubs/hubs.ts";
import { iso, timestamp } from "../../../../openapi/kit.ts";

/** A hub in AutoPrintFarm's fields: in apf, an agent (not revoked) of the organization. */
export const HubSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    firmware_version: z.string().nullable().openapi({
      description: "The agent's version, as its last report stated it.",
    }),
    hardware_version: z.string().nullable().openapi({
      description:
        "Always null: an apf agent is software on a host of the farm's choosing; it reports no hardware revision.",
    }),
    is_online: z.boolean().openapi({
      description:
        "Reported within the printers' stale window, or holds its command channel open now.",
    }),
    last_seen_at: timestamp().nullable(),
    printer_count: z.int().min(0),
    claimed_at: timestamp().openapi({
      description: "When the agent was paired with the organization (its token minted).",
    }),
    created_at: timestamp(),
    updated_at: timestamp().openapi({ description: "Its last report, else its creation." }),
  })
  .openapi("Hub");

export const HubDetailSchema = HubSchema.extend({
  is_stale: z.boolean().openapi({ description: "No report within the stale window." }),
  printers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      model: z.string().nullable(),
      status: z.enum(PRINTER_VIEW_STATUSES),
    }),
  ),
}).openapi("HubDetail");

export function toHub(h: HubView) {
  return HubSchema.parse({
    id: h.id,
    name: h.name,
    firmware_version: h.version,
    hardware_version: null,
    is_online: h.online,
    last_seen_at: iso(h.lastSeenAt),
    printer_count: h.printerCount,
    claimed_at: iso(h.createdAt),
    created_at: iso(h.createdAt),
    updated_at: iso(h.lastSeenAt ?? h.createdAt),
  });
}
