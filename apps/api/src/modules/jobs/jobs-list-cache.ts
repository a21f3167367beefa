import type { JobStatus } from "@apf/db";
import { listPublicJobs } from "@apf/db/queries/public-jobs";
import { LRUCache } from "lru-cache";
import type { Services } from "../../context.ts";
import { REVALIDATE_MS } from "../../platform/org-changes.ts";
import { sharedRuns } from "../../platform/shared-runs.ts";
import { toPublicJob } from "../../routes/public/v1/jobs/schema.ts";

export interface JobsPageRequest {
  status?: JobStatus;
  printerId?: string;
  limit: number;
  offset: number;
}

/**
 * Pages of an organization's job list, serialised once per change instead of once per request.
 * A page is served only while no change to the organization's jobs or SKUs (a job shows its
 * SKU's product) has been announced since it was built (services/org-changes.ts), and for at
 * most REVALIDATE_MS; while LISTEN is down nothing is cached. Bounded by bytes, least recently
 * used first out.
 */
export interface JobsListCache {
  /**
   * The page's JSON body: the cached bytes (the same Uint8Array until the page is rebuilt), or a
   * string when it was read for this request alone (not listening).
   */
  body(organizationId: string, page: JobsPageRequest): Promise<string | Uint8Array<ArrayBuffer>>;
  readonly stats: { hits: number; misses: number; entries(): number; bytes(): number };
}

interface Entry {
  token: string;
  builtAt: number;
  body: Uint8Array<ArrayBuffer>;
}

/** Budget of serialised pages kept in memory, all organizations together. */
const MAX_BYTES = 16 * 1024 * 1024;

export function createJobsListCache(
  db: Services["db"],
  orgChanges: Services["orgChanges"],
): JobsListCache {
  const entries = new LRUCache<string, Entry>({
    maxSize: MAX_BYTES,
    sizeCalculation: (entry) => Math.max(1, entry.body.byteLength),
  });
  // Concurrent misses of one page under one token share one read.
  const builds = sharedRuns<Entry>();
  const stats = {
    hits: 0,
    misses: 0,
    entries: () => entries.size,
    bytes: () => entries.calculatedSize,
  };

  async function build(organizationId: string, page: JobsPageRequest): Promise<string> {
    const { rows, count } = await listPublicJobs(
      db,
      organizationId,
      { status: page.status, printerId: page.printerId },
      { limit: page.limit, offset: page.offset },
    );
    const meta = { limit: page.limit, offset: page.offset, count };
    return JSON.stringify({ success: true, data: rows.map(toPublicJob), meta });
  }

  return {
    stats,
    async body(organizationId, page) {
      const token = orgChanges.token(organizationId, ["jobs", "skus"]);
      if (token === null) {
        stats.misses++;
        return build(organizationId, page);
      }
      const key = `${organizationId} ${page.status ?? ""} ${page.printerId ?? ""} ${page.limit} ${page.offset}`;
      const entry = entries.get(key);
      if (entry && entry.token === token && Date.now() - entry.builtAt < REVALIDATE_MS) {
        stats.hits++;
        return entry.body;
      }
      stats.misses++;
      const { promise } = builds.run(key, token, async () => {
        const builtAt = Date.now();
        const body = Buffer.from(await build(organizationId, page));
        const built = { token, builtAt, body };
        entries.set(key, built);
        return built;
      });
      return (await promise).body;
    },
  };
}
