import { and, gte, isNotNull, sql } from "drizzle-orm";
import { type PrinterStatus, printers } from "../schema/index.ts";
import { shownPercent } from "./shown-percent.ts";

/** How old a printer's last report may be before it reads offline. */
export interface PrinterFreshness {
  now: Date;
  staleAfterS: number;
}

/**
 * The one liveness rule, for every surface that shows a printer (public API and dashboard):
 * - a printer not heard from within the stale window reads `offline`, whatever was last stored;
 * - it is `online` exactly when it is fresh, its host answered and its status is not offline;
 * - its progress is shown only while it is fresh (a silent printer's last percentage is not
 *   current), clamped to 0–100 and rounded to 2 decimals (shown-percent.ts).
 * Computed in SQL so filters on these columns agree with the rows they return.
 */
export function printerLiveness(freshness: PrinterFreshness) {
  const fresh = reportedWithinStaleWindow(freshness);
  return {
    status: sql<PrinterStatus>`(case when ${fresh} then ${printers.status} else 'offline' end)`,
    online: sql<boolean>`(${fresh} and ${printers.reachable} and ${printers.status} <> 'offline')`,
    progressPercentage: sql<
      number | null
    >`(case when ${fresh} then ${shownPercent(printers.progressPercentage)} end)`,
  };
}

/** The printer's agent reported within the stale window. */
export function reportedWithinStaleWindow({ now, staleAfterS }: PrinterFreshness) {
  const cutoff = new Date(now.getTime() - staleAfterS * 1000);
  return and(isNotNull(printers.lastSeenAt), gte(printers.lastSeenAt, cutoff))!;
}
