import type {
  PrinterFreshness,
  PublicPrinterDetailRow,
  PublicPrinterRow,
} from "@apf/db/queries/public-printers";
import { PRINTER_VIEW_STATUSES } from "@apf/domain";
import { z } from "@hono/zod-openapi";
import type { Services } from "../../../../context.ts";
import { iso, timestamp } from "../../../../openapi/kit.ts";

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
      description: "`tool0`, `tool1`…, `bed`, `chamber`: the heaters as reported.",
      example: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } },
    }),
    current_job_id: z.string().nullable(),
    progress_percentage: z.number().min(0).max(100).nullable(),
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

/** How services decide that a printer is stale. */
export function printerFreshness(services: Services): PrinterFreshness {
  return { now: services.clock.now(), staleAfterS: services.config.APF_STALE_AFTER_S };
}

function clampPercent(value: number | null): number | null {
  return value === null ? null : Math.min(100, Math.max(0, value));
}

function fields(row: PublicPrinterRow) {
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    manufacturer: row.manufacturer,
    status: row.status,
    location: row.location,
    nozzle_size: row.nozzleSize,
    current_color: row.currentColor,
    current_color_hex: row.currentColorHex,
    current_filament_type: row.currentFilamentType,
    current_build_plate: row.currentBuildPlate,
    has_ams: row.hasAms,
    is_active: row.isActive,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    source: { type: row.sourceType, version: row.sourceVersion, agent_id: row.agentId },
    online: row.online,
    last_seen_at: iso(row.lastSeenAt),
    temperatures: Object.fromEntries(
      Object.entries(row.temperatures ?? {}).map(([heater, t]) => [
        heater,
        { actual: t?.actual ?? null, target: t?.target ?? null },
      ]),
    ),
    current_job_id: row.currentJobId,
    progress_percentage: clampPercent(row.progressPercentage),
  };
}

/** A stored printer row → the public item (through the schema, so nothing else can leak). */
export function toPublicPrinter(row: PublicPrinterRow) {
  return PrinterSchema.parse(fields(row));
}

/** A printer row with its detail columns → the item of GET /printers/{id}. */
export function toPublicPrinterDetail(row: PublicPrinterDetailRow) {
  return PrinterDetailSchema.parse({
    ...fields(row),
    firmware_version: row.firmwareVersion,
    total_print_time: Math.round(row.totalPrintTimeS),
    filament_level: clampPercent(row.filamentLevel),
    last_maintenance_date: iso(row.lastMaintenanceDate),
    in_maintenance: row.inMaintenance,
    maintenance_type: row.maintenanceType,
  });
}
