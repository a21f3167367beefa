import type { Queryable } from "@apf/db";
import type { CommandRow } from "@apf/db/queries/commands";
import { findHubRow } from "@apf/db/queries/hubs";
import { findPrinterRows, lockPrinter } from "@apf/db/queries/printers";
import { findPublicFilamentSpool, isSpoolLow } from "@apf/db/queries/public-filament";
import { findPublicInventoryItemBySku } from "@apf/db/queries/public-inventory";
import { findPublicJobs } from "@apf/db/queries/public-jobs";
import { findSku, isSkuLow } from "@apf/db/queries/skus";
import type { TaskRow } from "@apf/db/queries/tasks";
import { type PrinterFreshness, type PrinterViewStatus, printerView } from "@apf/domain";
import type { Services } from "../../context.ts";
import { toPublicCommand } from "../../routes/public/v1/control/schema.ts";
import { toHub } from "../../routes/public/v1/hubs/schema.ts";
import { toInventoryItemDetail } from "../../routes/public/v1/inventory/schema.ts";
import { toPublicJob } from "../../routes/public/v1/jobs/schema.ts";
import { toFilamentSpool } from "../../routes/public/v1/materials/filament-schema.ts";
import { toPublicTask } from "../../routes/public/v1/worklist/schema.ts";
import { hubView } from "../hubs/hubs.ts";
import { readPrinterView } from "../printers/printer-view.ts";
import { toPublicPrinter } from "../printers/public-printer.ts";
import type { ChangeEvent } from "./record-change.ts";

// Each event's `data` is the object after the change, serialised by the public API's own
// serialiser from the one view of it: the stream, the list and webhooks show what GET shows.

export type JobEventType = Extract<ChangeEvent["type"], `job.${string}`>;

/** Events about jobs (read after the change, in the same transaction), in the order given. */
export async function jobEvents(
  db: Queryable,
  organizationId: string,
  changes: readonly { jobId: string; type: JobEventType }[],
): Promise<ChangeEvent[]> {
  if (changes.length === 0) return [];
  const rows = await findPublicJobs(db, organizationId, [...new Set(changes.map((c) => c.jobId))]);
  const byId = new Map(rows.map((r) => [r.id, toPublicJob(r)]));
  return changes.flatMap((c) => {
    const data = byId.get(c.jobId);
    return data ? [{ type: c.type, data }] : [];
  });
}

/** The job event of a job's status, when it is one integrators hear about. */
export function jobStatusEventType(status: string): JobEventType | null {
  switch (status) {
    case "queued":
      return "job.queued";
    case "printing":
      return "job.started";
    case "completed":
      return "job.completed";
    case "failed":
      return "job.failed";
    case "cancelled":
      return "job.cancelled";
    default:
      return null;
  }
}

/**
 * A printer.status_changed event: the printer as GET /printers/{id} lists it, with the status
 * announced before (`previous_status`). Undefined when the printer is not the organization's.
 */
export async function printerStatusEvent(
  db: Queryable,
  organizationId: string,
  printerId: string,
  previousStatus: PrinterViewStatus,
  freshness: PrinterFreshness,
): Promise<ChangeEvent | undefined> {
  const [event] = await printerStatusEvents(
    db,
    organizationId,
    [{ id: printerId, previous: previousStatus }],
    freshness,
  );
  return event;
}

/**
 * printer.status_changed of each printer whose status is no longer `previous`, in the order
 * given, the printers read in one query (a report that moves a whole farm).
 */
export async function printerStatusEvents(
  db: Queryable,
  organizationId: string,
  changes: readonly { id: string; previous: PrinterViewStatus }[],
  freshness: PrinterFreshness,
): Promise<ChangeEvent[]> {
  if (changes.length === 0) return [];
  const rows = await findPrinterRows(
    db,
    organizationId,
    changes.map((c) => c.id),
  );
  const byId = new Map(rows.map((row) => [row.id, toPublicPrinter(printerView(row, freshness))]));
  return changes.flatMap((c) => {
    const data = byId.get(c.id);
    if (!data || data.status === c.previous) return [];
    return [
      { type: "printer.status_changed" as const, data: { ...data, previous_status: c.previous } },
    ];
  });
}

/**
 * The printer's status before a change that may move it (maintenance): read under the printer's
 * row lock, so the change's printer.status_changed names the status it really left.
 */
export async function printerStatusBefore(
  tx: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
): Promise<PrinterViewStatus | undefined> {
  if (!(await lockPrinter(tx, organizationId, printerId))) return undefined;
  return (await readPrinterView(tx, organizationId, printerId, freshness))?.status;
}

/** printer.updated of each printer (its live readings), read in one query. */
export async function printerUpdatedEvents(
  db: Queryable,
  organizationId: string,
  printerIds: readonly string[],
  freshness: PrinterFreshness,
): Promise<ChangeEvent[]> {
  const rows = await findPrinterRows(db, organizationId, printerIds);
  return rows.map((row) => ({
    type: "printer.updated" as const,
    data: toPublicPrinter(printerView(row, freshness)),
  }));
}

/** The printer as GET /printers lists it; undefined when not the organization's. */
export async function printerData(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const view = await readPrinterView(db, organizationId, printerId, freshness);
  return view && toPublicPrinter(view);
}

/** printer.bed_cleared: the printer, ready for its next job. */
export async function bedClearedEvent(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
): Promise<ChangeEvent[]> {
  const data = await printerData(db, organizationId, printerId, freshness);
  return data ? [{ type: "printer.bed_cleared", data }] : [];
}

export function taskEvent(
  type: "worklist.task_created" | "worklist.task_completed",
  row: TaskRow,
): ChangeEvent {
  return { type, data: toPublicTask(row) };
}

export function commandCompletedEvent(row: CommandRow): ChangeEvent {
  return { type: "command.completed", data: toPublicCommand(row) };
}

/** agent.connected / agent.disconnected: the agent as GET /hubs/{id} shows it (or its id, once revoked). */
export async function agentEvent(
  freshness: PrinterFreshness,
  db: Queryable,
  organizationId: string,
  agentId: string,
  type: "agent.connected" | "agent.disconnected",
): Promise<ChangeEvent> {
  const row = await findHubRow(db, organizationId, agentId, freshness.now);
  const deps = {
    clock: { now: () => freshness.now },
    config: { APF_STALE_AFTER_S: freshness.staleAfterS },
  } as Pick<Services, "clock" | "config">;
  return { type, data: row ? toHub(hubView(row, deps)) : { id: agentId } };
}

/**
 * inventory.low_stock for each SKU that stock movements took from above its threshold to at or
 * below it (read after the movements, in their transaction): the item as GET /inventory/{id}
 * shows it.
 */
export async function lowStockEvents(
  db: Queryable,
  organizationId: string,
  movements: readonly { skuId: string; delta: number }[],
): Promise<ChangeEvent[]> {
  const deltas = new Map<string, number>();
  for (const m of movements) deltas.set(m.skuId, (deltas.get(m.skuId) ?? 0) + m.delta);
  const events: ChangeEvent[] = [];
  for (const [skuId, delta] of deltas) {
    if (delta >= 0) continue;
    const sku = await findSku(db, organizationId, skuId);
    const threshold = sku?.lowStockThreshold;
    if (!sku || threshold === null || threshold === undefined) continue;
    if (sku.readyStock - delta > threshold && sku.readyStock <= threshold) {
      const item = await findPublicInventoryItemBySku(db, organizationId, skuId);
      if (item) events.push({ type: "inventory.low_stock", data: toInventoryItemDetail(item) });
    }
  }
  return events;
}

/**
 * inventory.low_stock for a spool that a change took from not low (`wasLow` false, read under
 * its lock before the change) to low (at or below its low_threshold, read after the change in
 * its transaction): the spool as GET /materials/filament/{id} shows it.
 */
export async function spoolLowStockEvents(
  db: Queryable,
  organizationId: string,
  spoolId: string,
  wasLow: boolean | undefined,
): Promise<ChangeEvent[]> {
  if (wasLow !== false || !(await isSpoolLow(db, organizationId, spoolId))) return [];
  const row = await findPublicFilamentSpool(db, organizationId, spoolId);
  return row ? [{ type: "inventory.low_stock", data: toFilamentSpool(row) }] : [];
}

/**
 * inventory.low_stock for a SKU that a change of its threshold took from not low (`wasLow`
 * false, read under its lock before the change) to low (read after it, in its transaction).
 */
export async function skuLowStockEvents(
  db: Queryable,
  organizationId: string,
  skuId: string,
  wasLow: boolean | undefined,
): Promise<ChangeEvent[]> {
  if (wasLow !== false || !(await isSkuLow(db, organizationId, skuId))) return [];
  const item = await findPublicInventoryItemBySku(db, organizationId, skuId);
  return item ? [{ type: "inventory.low_stock", data: toInventoryItemDetail(item) }] : [];
}
