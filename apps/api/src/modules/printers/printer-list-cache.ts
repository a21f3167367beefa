import type { PageRequest } from "@apf/db/queries/paging";
import { printerListVersion } from "@apf/db/queries/printers";
import type { PrinterFreshness, PrinterViewStatus } from "@apf/domain";
import { LRUCache } from "lru-cache";
import type { Services } from "../../context.ts";
import { REVALIDATE_MS } from "../../platform/org-changes.ts";
import { sharedRuns } from "../../platform/shared-runs.ts";
import { readPrinterViews } from "./printer-view.ts";
import { toPublicPrinter } from "./public-printer.ts";

/** The filters of GET /public/v1/printers, applied to the cached views. */
export interface PrinterListFilters {
  isActive?: boolean;
  /** As the view reads it (a stale printer is `offline`, one in maintenance `maintenance`). */
  status?: PrinterViewStatus;
  location?: string;
  /** Case-insensitive substring of the name. */
  search?: string;
}

/**
 * Each organization's printer list, read through the printer view (services/printer-view.ts)
 * and serialised once per change instead of once per request.
 *
 * The contract: an entry is served only while (1) no change to the organization's printers has
 * been announced since it was built or confirmed — triggers on `printers` NOTIFY every commit,
 * whatever wrote it (services/org-changes.ts) — and it was confirmed against Postgres within
 * REVALIDATE_MS, or else the organization's printer-list version in Postgres (bumped by triggers
 * with every write), read on this request, is the one read before it was built; and (2) no
 * printer it shows as fresh has crossed the stale window since (the entry knows the first
 * instant that happens). While LISTEN is down every request reads the version. So a report, an
 * owner's edit or a printer going stale shows on every instance as soon as Postgres's
 * notification arrives (on the writing instance before the write is answered), and a request
 * usually costs no database read at all, only joining prepared strings.
 */
export interface PrinterListCache {
  /** The JSON body of GET /public/v1/printers for these filters and page (UTF-8 when whole). */
  body(
    organizationId: string,
    filters: PrinterListFilters,
    freshness: PrinterFreshness,
    page?: PageRequest,
  ): Promise<string | Uint8Array<ArrayBuffer>>;
  readonly stats: { hits: number; misses: number; entries(): number; bytes(): number };
}

interface Item {
  name: string;
  status: string;
  isActive: boolean;
  location: string | null;
  json: string;
}

interface Entry {
  version: number;
  /** services.orgChanges' token when the entry was built or last confirmed (null: not listening). */
  token: string | null;
  /** Wall-clock time of the last check against Postgres (build or version read). */
  checkedAt: number;
  builtAt: number;
  /** The first instant a printer shown as fresh turns stale (Infinity when none can). */
  validUntil: number;
  items: Item[];
  /** The answer without filters or paging, the common poll, already encoded. */
  whole: Uint8Array<ArrayBuffer>;
  bytes: number;
}

/** Organizations kept at once; the least recently used are dropped first. */
const MAX_ORGANIZATIONS = 2_000;

function matches(item: Item, filters: PrinterListFilters): boolean {
  if (filters.isActive !== undefined && item.isActive !== filters.isActive) return false;
  if (filters.status !== undefined && item.status !== filters.status) return false;
  if (filters.location !== undefined && item.location !== filters.location) return false;
  if (filters.search !== undefined) {
    return item.name.toLowerCase().includes(filters.search.toLowerCase());
  }
  return true;
}

const envelope = (items: Item[]) =>
  `{"success":true,"data":[${items.map((i) => i.json).join(",")}]`;

export function createPrinterListCache(
  db: Services["db"],
  orgChanges: Services["orgChanges"],
): PrinterListCache {
  const entries = new LRUCache<string, Entry>({ max: MAX_ORGANIZATIONS });
  // Concurrent misses of one organization at one version share one build.
  const builds = sharedRuns<Entry>();
  const stats = {
    hits: 0,
    misses: 0,
    entries: () => entries.size,
    bytes: () => {
      let total = 0;
      for (const e of entries.values()) total += e.bytes;
      return total;
    },
  };

  async function build(
    organizationId: string,
    version: number,
    token: string | null,
    freshness: PrinterFreshness,
  ) {
    // Rows read after the version: a write that lands in between bumps it again, so the entry
    // is never newer than its version claims, at worst rebuilt once more. Each row is read
    // through the view once, here; requests only filter and join the strings it produced.
    const views = await readPrinterViews(db, organizationId, freshness);
    const now = freshness.now.getTime();
    let validUntil = Number.POSITIVE_INFINITY;
    let bytes = 0;
    const items = views.map((view) => {
      if (view.freshUntil !== null) validUntil = Math.min(validUntil, view.freshUntil);
      const json = JSON.stringify(toPublicPrinter(view));
      bytes += json.length + view.name.length + (view.location?.length ?? 0) + 64;
      return {
        name: view.name,
        status: view.status,
        isActive: view.isActive,
        location: view.location,
        json,
      };
    });
    const whole = Buffer.from(`${envelope(items)}}`);
    bytes += whole.byteLength;
    const entry: Entry = {
      version,
      token,
      checkedAt: Date.now(),
      builtAt: now,
      validUntil,
      items,
      whole,
      bytes,
    };
    entries.set(organizationId, entry);
    return entry;
  }

  /**
   * The organization's version, read now. Requests holding the same non-null token share one
   * read (once a second, 50 pollers would otherwise all read at once): no change was announced
   * between their tokens, so a read started under that token already sees every change they
   * must. Without a token (not listening) each request reads for itself.
   */
  const versionChecks = sharedRuns<number>();
  function versionOf(organizationId: string, token: string | null): Promise<number> {
    if (token === null) return printerListVersion(db, organizationId);
    return versionChecks.run(organizationId, token, () => printerListVersion(db, organizationId))
      .promise;
  }

  async function current(organizationId: string, freshness: PrinterFreshness): Promise<Entry> {
    const now = freshness.now.getTime();
    const timely = (e: Entry) => e.builtAt <= now && now < e.validUntil;
    // Taken before anything is read: a change announced from here on changes it.
    const token = orgChanges.token(organizationId, ["printers"]);
    const entry = entries.get(organizationId);
    if (
      entry &&
      token !== null &&
      entry.token === token &&
      Date.now() - entry.checkedAt < REVALIDATE_MS &&
      timely(entry)
    ) {
      stats.hits++;
      return entry;
    }
    const version = await versionOf(organizationId, token);
    const valid = (e: Entry) => e.version === version && timely(e);
    if (entry && valid(entry)) {
      entry.token = token;
      entry.checkedAt = Date.now();
      stats.hits++;
      return entry;
    }
    stats.misses++;
    const { promise, joined } = builds.run(organizationId, version, () =>
      build(organizationId, version, token, freshness),
    );
    const built = await promise;
    // A joined build was made for another request's instant: it may not hold for this one.
    if (!joined || valid(built)) return built;
    return build(organizationId, version, token, freshness);
  }

  return {
    stats,
    async body(organizationId, filters, freshness, page) {
      const entry = await current(organizationId, freshness);
      const filtered = Object.values(filters).some((v) => v !== undefined);
      if (!filtered && !page) return entry.whole;
      const items = filtered ? entry.items.filter((i) => matches(i, filters)) : entry.items;
      if (!page) return `${envelope(items)}}`;
      const meta = { ...page, count: items.length };
      const slice = items.slice(page.offset, page.offset + page.limit);
      return `${envelope(slice)},"meta":${JSON.stringify(meta)}}`;
    },
  };
}
