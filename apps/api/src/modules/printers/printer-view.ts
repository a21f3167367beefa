import {
  findPrinterDetailRow,
  findPrinterRow,
  listPrinterFacts,
  listPrinterRows,
  type PrinterRow,
} from "@apf/db/queries/printers";
import { type PrinterFreshness, type PrinterView, printerView } from "@apf/domain";
import type { Services } from "../../context.ts";

export type { PrinterDetailRow, PrinterRow } from "@apf/db/queries/printers";

/** How this instance decides that a printer is stale: its clock and APF_STALE_AFTER_S. */
export function printerFreshness(services: Pick<Services, "clock" | "config">): PrinterFreshness {
  return { now: services.clock.now(), staleAfterS: services.config.APF_STALE_AFTER_S };
}

/**
 * The organization's printers by name, as every surface shows them (@apf/domain's printerView
 * over packages/db's one printer select). The list cache holds what this returns.
 */
export async function readPrinterViews(
  db: Services["db"],
  organizationId: string,
  freshness: PrinterFreshness,
): Promise<PrinterView<PrinterRow>[]> {
  const rows = await listPrinterRows(db, organizationId);
  return rows.map((row) => printerView(row, freshness));
}

/**
 * The same views over only what the view reads (and each printer's id and name): for whole-farm
 * reads that need a printer's status, not its row (the analytics reports).
 */
export async function readPrinterStatusViews(
  db: Services["db"],
  organizationId: string,
  freshness: PrinterFreshness,
) {
  const rows = await listPrinterFacts(db, organizationId);
  return rows.map((row) => printerView(row, freshness));
}

type Queryable = Parameters<typeof findPrinterRow>[0];

/** One printer as every surface shows it; undefined when the organization has no such printer. */
export async function readPrinterView(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const row = await findPrinterRow(db, organizationId, printerId);
  return row && printerView(row, freshness);
}

/** The same with the detail figures of GET /printers/{id} (print time, filament level). */
export async function readPrinterDetailView(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const row = await findPrinterDetailRow(db, organizationId, printerId);
  return row && printerView(row, freshness);
}
