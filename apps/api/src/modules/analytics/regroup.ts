import { regroupJobStats, staleJobStatsOrganizations } from "@apf/db/queries/job-stats";
import type { Platform } from "../../context.ts";
import { coalescedRun } from "../../platform/coalesced-run.ts";

/**
 * The background regrouping of the analytics rollups after an organization's time zone changed.
 *
 * PATCH /api/orgs/{orgId} with a new time_zone commits at once: a trigger only marks the
 * organization's rollups stale (migration job_stats_regroup_in_background) and rings the
 * org-changes doorbell ("job_stats:<org>"). Every API instance runs this regrouper: woken by the
 * doorbell, and every few seconds anyway (a doorbell can be lost), it regroups the stale
 * organizations one at a time, each in one statement of apf_regroup_job_stats on the maintenance
 * connection (no statement timeout: a long history takes seconds). Everything that makes it
 * correct is in that function: a per-organization try-lock (two instances never regroup one
 * organization at once; the second skips it), the job ends of the meantime kept in a backlog and
 * added exactly once, and the rollups marked current only in the zone they were counted in.
 * While an organization is stale its reports answer 503 ANALYTICS_REGROUPING (reports.ts).
 */
export interface JobStatsRegrouper {
  /** One pass now over every stale organization (joins a pass under way, then runs another). */
  regroupOnce(): Promise<void>;
  close(): Promise<void>;
}

export interface JobStatsRegrouperOptions {
  /** How often a pass runs without a doorbell (default 5 s). */
  pollMs?: number;
  /** Run passes by itself (default true); false: only when regroupOnce is called (tests). */
  auto?: boolean;
}

/** What clients are told to wait (Retry-After) while an organization's figures are regrouped. */
export const REGROUP_RETRY_AFTER_S = 5;
/** Stale organizations one pass reads at a time. */
const BATCH = 100;

type RegroupServices = Pick<Platform, "db" | "maintenanceDb" | "orgChanges" | "logger">;

export function createJobStatsRegrouper(
  services: RegroupServices,
  options: JobStatsRegrouperOptions = {},
): JobStatsRegrouper {
  let closed = false;

  async function pass(): Promise<void> {
    const ids = await staleJobStatsOrganizations(services.db, BATCH);
    for (const id of ids) {
      if (closed) return;
      const started = Date.now();
      const current = await regroupJobStats(services.maintenanceDb, id);
      if (current) {
        services.logger.info(
          { organization_id: id, ms: Date.now() - started },
          "analytics rollups regrouped in the organization's time zone",
        );
      }
    }
  }

  const run = coalescedRun(pass, (error) => {
    services.logger.warn(
      { err: error },
      "analytics regrouping failed; trying again at the next pass",
    );
  });
  const regroupOnce = () => run.request();

  const auto = options.auto ?? true;
  const unsubscribe = services.orgChanges.onChange((table) => {
    if (auto && table === "job_stats" && !closed) void regroupOnce();
  });
  const timer = setInterval(() => {
    if (auto && !closed) void regroupOnce();
  }, options.pollMs ?? 5000);
  timer.unref();
  // Whatever was left stale by an instance that stopped mid-way.
  if (auto) void regroupOnce();

  return {
    regroupOnce,
    async close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      await run.close();
    },
  };
}
