import { findHubRow, type HubRow, listHubRows } from "@apf/db/queries/hubs";
import type { Services } from "../../context.ts";
import { printerFreshness, readPrinterViews } from "../printers/printer-view.ts";

type Deps = Pick<Services, "db" | "clock" | "config">;

/** A hub as every surface reads it: its row, whether it is stale, whether it is online. */
export interface HubView extends HubRow {
  /** No report within the printers' stale window (APF_STALE_AFTER_S). */
  stale: boolean;
  /** It reported within the stale window, or it holds its command channel open now. */
  online: boolean;
}

/** The one reading of a hub's liveness, from its row and the clock. */
export function hubView(row: HubRow, deps: Pick<Services, "clock" | "config">): HubView {
  const { now, staleAfterS } = printerFreshness(deps);
  const seen = row.lastSeenAt?.getTime();
  const stale = seen === undefined || now.getTime() > seen + staleAfterS * 1000;
  return { ...row, stale, online: !stale || row.channelOpen };
}

/** The organization's hubs (agents not revoked), by name. */
export async function readHubViews(deps: Deps, organizationId: string): Promise<HubView[]> {
  const rows = await listHubRows(deps.db, organizationId, deps.clock.now());
  return rows.map((r) => hubView(r, deps));
}

/** One hub with the printers it reports (their one printer view), or undefined. */
export async function readHubDetail(deps: Deps, organizationId: string, hubId: string) {
  const row = await findHubRow(deps.db, organizationId, hubId, deps.clock.now());
  if (!row) return undefined;
  const printers = (await readPrinterViews(deps.db, organizationId, printerFreshness(deps))).filter(
    (p) => p.agentId === row.id,
  );
  return { ...hubView(row, deps), printers };
}
