import { PRINTER_STATUSES, type printers } from "@apf/db";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../../openapi/kit.ts";

/** A printer as the dashboard shows it: the agent's view plus the owner's metadata. */
export const printerSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  model: z.string().nullable(),
  manufacturer: z.string().nullable(),
  location: z.string().nullable(),
  nozzle_size: z.number().nullable(),
  current_color: z.string().nullable(),
  current_color_hex: z.string().nullable(),
  current_filament_type: z.string().nullable(),
  current_build_plate: z.string().nullable(),
  has_ams: z.boolean(),
  is_active: z.boolean(),
  status: z.enum(PRINTER_STATUSES),
  online: z.boolean(),
  agent_id: z.uuid().nullable(),
  machine_id: z.string(),
  last_error: z.string().nullable(),
  progress_percentage: z.number().nullable(),
  last_seen_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

/** Shapes a printer row; a printer whose agent has been silent past `staleAfterS` reads offline. */
export function toPrinter(p: typeof printers.$inferSelect, now: Date, staleAfterS: number) {
  const online =
    p.lastSeenAt !== null && now.getTime() - p.lastSeenAt.getTime() <= staleAfterS * 1000;
  return {
    id: p.id,
    name: p.name,
    model: p.model,
    manufacturer: p.manufacturer,
    location: p.location,
    nozzle_size: p.nozzleSize,
    current_color: p.currentColor,
    current_color_hex: p.currentColorHex,
    current_filament_type: p.currentFilamentType,
    current_build_plate: p.currentBuildPlate,
    has_ams: p.hasAms,
    is_active: p.isActive,
    status: online ? p.status : ("offline" as const),
    online,
    agent_id: p.agentId,
    machine_id: p.machineId,
    last_error: p.lastError,
    progress_percentage: online ? p.progressPercentage : null,
    last_seen_at: iso(p.lastSeenAt),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}
