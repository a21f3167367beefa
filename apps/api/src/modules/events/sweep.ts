import { expireAllOverdueCommands } from "@apf/db/queries/commands";
import { deleteExpiredEvents } from "@apf/db/queries/events";
import { markStaleAgents, markStalePrinters } from "@apf/db/queries/staleness";
import type { PrinterStatus } from "@apf/domain";
import type { Services } from "../../context.ts";
import { SYSTEM_ACTOR } from "../audit/audit.ts";
import { expiredCommandChange } from "../control/expiry.ts";
import { printerFreshness } from "../printers/printer-view.ts";
import { agentEvent, printerStatusEvents } from "./data.ts";
import { type ChangeEvent, recordChange } from "./record-change.ts";

/** Events are kept this long (the contract's 30 days). */
export const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Rows one sweep step takes at most. */
const BATCH = 500;

type SweepServices = Pick<Services, "db" | "clock" | "config">;

/**
 * Time-driven changes as stored changes: printers and agents silent for longer than
 * APF_STALE_AFTER_S are announced offline / disconnected (printer.status_changed,
 * agent.disconnected), commands nobody took in time expire (command.completed), and events
 * older than 30 days are deleted. Safe on any number of instances
 * at once: each row is taken under its agent's report lock with a compare-and-set.
 */
export async function sweepEvents(services: SweepServices): Promise<void> {
  const now = services.clock.now();
  const cutoff = new Date(now.getTime() - services.config.APF_STALE_AFTER_S * 1000);
  const freshness = printerFreshness(services);
  for (;;) {
    const marked = await services.db.transaction(async (tx) => {
      const printers = await markStalePrinters(tx, cutoff, BATCH);
      // A farm whose agent went silent goes offline at once: its printers are read per
      // organization in one query, not one by one.
      const byOrganization = new Map<string, { id: string; previous: PrinterStatus }[]>();
      for (const p of printers) {
        if (p.inMaintenance) continue;
        const list = byOrganization.get(p.organizationId) ?? [];
        list.push({ id: p.id, previous: p.previous });
        byOrganization.set(p.organizationId, list);
      }
      const changes: { organizationId: string; events: ChangeEvent[] }[] = [];
      for (const [organizationId, stale] of byOrganization) {
        const events = await printerStatusEvents(tx, organizationId, stale, freshness);
        if (events.length > 0) changes.push({ organizationId, events });
      }
      await recordChange(tx, SYSTEM_ACTOR, changes);
      return printers.length;
    });
    if (marked < BATCH) break;
  }
  for (;;) {
    const marked = await services.db.transaction(async (tx) => {
      const agents = await markStaleAgents(tx, cutoff, BATCH);
      const changes: { organizationId: string; events: ChangeEvent[] }[] = [];
      for (const a of agents) {
        changes.push({
          organizationId: a.organizationId,
          events: [await agentEvent(freshness, tx, a.organizationId, a.id, "agent.disconnected")],
        });
      }
      await recordChange(tx, SYSTEM_ACTOR, changes);
      return agents.length;
    });
    if (marked < BATCH) break;
  }
  for (;;) {
    const expired = await services.db.transaction(async (tx) => {
      const rows = await expireAllOverdueCommands(tx, now, BATCH);
      await recordChange(tx, SYSTEM_ACTOR, rows.map(expiredCommandChange));
      return rows.length;
    });
    if (expired < BATCH) break;
  }
  while ((await deleteExpiredEvents(services.db, EVENT_RETENTION_MS, 5000)) === 5000) {}
}
