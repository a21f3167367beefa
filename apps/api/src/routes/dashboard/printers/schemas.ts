import { CONTROL_ACTIONS, PRINTER_VIEW_STATUSES, type PrinterView } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import type { PrinterRow } from "../../../modules/printers/printer-view.ts";
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
  status: z.enum(PRINTER_VIEW_STATUSES).openapi({
    description:
      "As on /public/v1: the observed status; `offline` when stale; `maintenance` while in maintenance.",
  }),
  online: z.boolean(),
  agent_id: z.uuid().nullable(),
  machine_id: z.string(),
  last_error: z.string().nullable(),
  progress_percentage: z.number().min(0).max(100).nullable(),
  temperatures: z
    .record(z.string(), z.object({ actual: z.number().nullable(), target: z.number().nullable() }))
    .openapi({
      description: "`tool0`, `bed`…: the heaters as last reported (empty when offline).",
    }),
  current_job_id: z.uuid().nullable(),
  last_seen_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
  available_actions: z.array(z.enum(CONTROL_ACTIONS)).openapi({
    description:
      "The control actions the printer allows now; the dashboard offers exactly these, any other is answered 409.",
  }),
});

/** Shapes a printer's view (services/printer-view.ts); nothing here reads the row again. */
export function toPrinter(p: PrinterView<PrinterRow>) {
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
    temperatures: p.temperatures,
    current_job_id: p.currentJobId,
    last_seen_at: iso(p.lastSeenAt),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    available_actions: p.availableActions,
  };
}
