import { CONTROL_ACTIONS, PRINTER_VIEW_STATUSES, type PrinterView } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import { iso, timestamp } from "../../openapi/kit.ts";
import type { PrinterDetailRow, PrinterRow } from "./printer-view.ts";

const TemperatureSchema = z
  .object({ actual: z.number().nullable(), target: z.number().nullable() })
  .openapi("Temperature", { description: "Degrees Celsius, as the printer reported them." });

/** A printer as integrators see it: AutoPrintFarm's fields, then ours. */
export const PrinterSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    model: z.string().nullable(),
    manufacturer: z.string().nullable(),
    status: z.enum(PRINTER_VIEW_STATUSES).openapi({
      description:
        "The last observed status; `offline` when the printer's agent has not reported within the stale window; `maintenance` while the printer is in maintenance.",
    }),
    location: z.string().nullable(),
    nozzle_size: z.number().nullable(),
    current_color: z.string().nullable(),
    current_color_hex: z.string().nullable(),
    current_filament_type: z.string().nullable(),
    current_build_plate: z.string().nullable(),
    has_ams: z.boolean(),
    is_active: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
    source: z
      .object({
        type: z.string().openapi({ example: "octoprint" }),
        version: z.string().nullable().openapi({ description: "OctoPrint's server version." }),
        agent_id: z.string().nullable(),
      })
      .openapi({ description: "Where the printer's state comes from." }),
    online: z.boolean().openapi({
      description:
        "True when the agent reported within the stale window, reached the host, and the printer is not offline.",
    }),
    last_seen_at: timestamp().nullable(),
    temperatures: z.record(z.string(), TemperatureSchema).openapi({
      description:
        "`tool0`, `tool1`…, `bed`, `chamber`: the heaters as reported; empty while the printer is not `online`.",
      example: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } },
    }),
    current_job_id: z.string().nullable(),
    progress_percentage: z.number().min(0).max(100).nullable().openapi({
      description: "Percent of the current print, two decimals; null unless the agent is fresh.",
    }),
    available_actions: z.array(z.enum(CONTROL_ACTIONS)).openapi({
      description:
        "The control actions (POST /printers/{id}/control) the printer allows now; any other is answered 409 INVALID_STATE. Not part of AutoPrintFarm's shape.",
      example: ["pause", "stop"],
    }),
  })
  .openapi("Printer");

/** GET /printers/{id}: the list item plus AutoPrintFarm's detail fields. */
export const PrinterDetailSchema = PrinterSchema.extend({
  firmware_version: z.string().nullable().openapi({
    description:
      "The firmware's name and version where OctoPrint reports it; null otherwise (OctoPrint's core API does not).",
  }),
  total_print_time: z.int().min(0).openapi({
    description: "Seconds spent on the printer's completed prints.",
  }),
  filament_level: z.number().min(0).nullable().openapi({
    description:
      "Percent of filament left on the spool loaded on this printer, when one is loaded and its full weight is known; else null.",
  }),
  last_maintenance_date: timestamp().nullable().openapi({
    description: "When the printer last entered maintenance.",
  }),
  in_maintenance: z.boolean(),
  maintenance_type: z.string().nullable(),
}).openapi("PrinterDetail");

function fields(view: PrinterView<PrinterRow>) {
  return {
    id: view.id,
    name: view.name,
    model: view.model,
    manufacturer: view.manufacturer,
    status: view.status,
    location: view.location,
    nozzle_size: view.nozzleSize,
    current_color: view.currentColor,
    current_color_hex: view.currentColorHex,
    current_filament_type: view.currentFilamentType,
    current_build_plate: view.currentBuildPlate,
    has_ams: view.hasAms,
    is_active: view.isActive,
    created_at: iso(view.createdAt),
    updated_at: iso(view.updatedAt),
    source: { type: view.sourceType, version: view.sourceVersion, agent_id: view.agentId },
    online: view.online,
    last_seen_at: iso(view.lastSeenAt),
    temperatures: view.temperatures,
    current_job_id: view.currentJobId,
    progress_percentage: view.progressPercentage,
    available_actions: view.availableActions,
  };
}

/** A printer's view → the public item (through the schema, so nothing else can leak). */
export function toPublicPrinter(view: PrinterView<PrinterRow>) {
  return PrinterSchema.parse(fields(view));
}

/** A printer's view with its detail figures → the item of GET /printers/{id}. */
export function toPublicPrinterDetail(view: PrinterView<PrinterDetailRow>) {
  return PrinterDetailSchema.parse({
    ...fields(view),
    firmware_version: view.firmwareVersion,
    total_print_time: Math.round(view.totalPrintTimeS),
    filament_level:
      view.filamentLevel === null ? null : Math.min(100, Math.max(0, view.filamentLevel)),
    last_maintenance_date: iso(view.lastMaintenanceDate),
    in_maintenance: view.inMaintenance,
    maintenance_type: view.maintenanceType,
  });
}
