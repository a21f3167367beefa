import { PRINTER_STATUSES } from "@apf/db";
import type { LivePrinterRow } from "@apf/db/queries/printer-admin";
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

/** Shapes a printer row; status, online and progress come from the one liveness rule (@apf/db). */
export function toPrinter(p: LivePrinterRow) {
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
    status: p.status,
    online: p.online,
    agent_id: p.agentId,
    machine_id: p.machineId,
    last_error: p.lastError,
    progress_percentage: p.progressPercentage,
    last_seen_at: iso(p.lastSeenAt),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}
