import { PRINTER_STATUSES } from "@apf/domain";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { createdAt, id, instant, updatedAt } from "./columns.ts";
import { organizations } from "./organizations.ts";

export { PRINTER_STATUSES, type PrinterStatus } from "@apf/domain";

export type Temperatures = Record<string, { actual: number | null; target: number | null }>;

export const printers = pgTable(
  "printers",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "set null" }),
    /** The agent's stable identity for the machine: custom_name, else the normalised URL. */
    machineId: text("machine_id").notNull(),
    name: text("name").notNull(),
    model: text("model"),
    manufacturer: text("manufacturer"),
    location: text("location"),
    nozzleSize: real("nozzle_size"),
    currentColor: text("current_color"),
    currentColorHex: text("current_color_hex"),
    currentFilamentType: text("current_filament_type"),
    currentBuildPlate: text("current_build_plate"),
    hasAms: boolean("has_ams").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    status: text("status", { enum: PRINTER_STATUSES }).notNull().default("offline"),
    /**
     * The status last announced in a printer.status_changed event: the observed status, or
     * `offline` once the events sweep found the printer stale. A report that changes it is
     * announced; `status` itself stays what the agent observed.
     */
    announcedStatus: text("announced_status", { enum: PRINTER_STATUSES })
      .notNull()
      .default("offline"),
    /**
     * The observation of the last printer.updated event (live readings): at most one per printer
     * per 5 s of observations.
     */
    updateAnnouncedAt: instant("update_announced_at"),
    sourceType: text("source_type").notNull().default("octoprint"),
    sourceUrl: text("source_url"),
    sourceVersion: text("source_version"),
    reachable: boolean("reachable").notNull().default(false),
    lastError: text("last_error"),
    temperatures: jsonb("temperatures").$type<Temperatures>().notNull().default({}),
    progressPercentage: doublePrecision("progress_percentage"),
    currentJobId: uuid("current_job_id"),
    /** Seconds OctoPrint expects the current print still needs, or null. */
    printTimeLeftS: integer("print_time_left_s"),
    /** As the printer's firmware names itself, where OctoPrint reports it; else null. */
    firmwareVersion: text("firmware_version"),
    /** Set by the owner or a key with printers:write; the printer reads `maintenance` meanwhile. */
    inMaintenance: boolean("in_maintenance").notNull().default(false),
    maintenanceType: text("maintenance_type"),
    /** When the printer last entered maintenance. */
    lastMaintenanceDate: instant("last_maintenance_date"),
    /** When someone last said the bed was cleared (clear_bed): ready for the next job. */
    bedClearedAt: instant("bed_cleared_at"),
    /** When the printer's last job ended (completed, failed, cancelled): its bed needs clearing. */
    lastJobEndedAt: instant("last_job_ended_at"),
    /** When the agent observed the state stored here; older reports never overwrite it. */
    observedAt: instant("observed_at"),
    lastSeenAt: instant("last_seen_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("printers_agent_machine_key").on(t.agentId, t.machineId),
    index("printers_org_name_idx").on(t.organizationId, t.name),
    index("printers_org_status_idx").on(t.organizationId, t.status),
  ],
);
