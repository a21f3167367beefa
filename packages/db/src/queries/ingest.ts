import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { executeNamed, type Transaction } from "../client.ts";
import {
  agents,
  type JobStatus,
  jobs,
  type PrinterStatus,
  printers,
  skus,
  stockMovements,
  type Temperatures,
} from "../schema/index.ts";
import { isKitSku } from "./stock-status.ts";
import { createCollectionTasks, type TaskRow } from "./tasks.ts";

/** What is stored of a machine before a report is applied. */
export interface StoredMachine {
  printerId: string;
  machineId: string;
  /** The organization the printer belongs to (the agent's, unless it was moved). */
  organizationId: string;
  observedAt: Date | null;
  status: PrinterStatus;
  /** The status last announced in an event (printers.announced_status). */
  announcedStatus: PrinterStatus;
  openJob: {
    id: string;
    fileName: string | null;
    status: "printing" | "paused";
    timeStarted: Date | null;
    progress: number | null;
    estimatedMinutes: number | null;
    failureReason: string | null;
    productSkuId: string | null;
    numberOfUnits: number;
  } | null;
  /**
   * A queued job handed to this printer and not printing yet (`processing`: the agent is
   * transferring the file; `uploaded`: OctoPrint was told to print it). At most one per printer.
   */
  pendingJob: {
    id: string;
    status: "processing" | "uploaded";
    /** The file's path on OctoPrint, `apf/<stem>-<job id 8>.gcode`. */
    octoprintFileName: string | null;
    dispatchedAt: Date | null;
    productSkuId: string | null;
    numberOfUnits: number;
  } | null;
}

/** A row of `openAgentReport`, as both drivers return it (times as epoch milliseconds). */
interface AgentPrinterRow {
  id: string;
  machine_id: string;
  organization_id: string;
  observed_ms: number | null;
  status: PrinterStatus;
  announced_status: PrinterStatus;
  job_id: string | null;
  job_file_name: string | null;
  job_status: string | null;
  job_started_ms: number | null;
  job_progress: number | null;
  job_estimated: number | null;
  job_failure_reason: string | null;
  job_sku_id: string | null;
  job_units: number | null;
  job_octoprint_file: string | null;
  job_dispatched_ms: number | null;
}

const dateOf = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Opens a report's transaction in one call (migration 0017, apf_open_agent_report): takes the
 * agent's report lock, which serialises the reports of one agent (two reports of the same agent
 * never interleave, so "is this observation newer than what we have" is decided on settled rows),
 * defers the transaction's change notifications (what `deferOrgChanges` of org-changes.ts does;
 * read them with `deferredOrgChanges`), then reads every printer of the agent with its open job,
 * as of after the lock. No parameter per machine: an agent has at most MAX_PRINTERS_PER_AGENT
 * printers, and a report names most of them. The columns are the function's (AgentPrinterRow):
 * reading another one takes a migration that replaces it.
 */
export async function openAgentReport(tx: Transaction, agentId: string): Promise<StoredMachine[]> {
  const result = await executeNamed<AgentPrinterRow>(
    tx,
    "apf_ingest_open_report",
    sql`select * from apf_open_agent_report(${agentId}::uuid)`,
  );
  return result.rows.map((r) => ({
    printerId: r.id,
    machineId: r.machine_id,
    organizationId: r.organization_id,
    observedAt: dateOf(r.observed_ms),
    status: r.status,
    announcedStatus: r.announced_status,
    pendingJob:
      r.job_id && (r.job_status === "processing" || r.job_status === "uploaded")
        ? {
            id: r.job_id,
            status: r.job_status,
            octoprintFileName: r.job_octoprint_file,
            dispatchedAt: dateOf(r.job_dispatched_ms),
            productSkuId: r.job_sku_id,
            numberOfUnits: r.job_units ?? 1,
          }
        : null,
    openJob:
      r.job_id && (r.job_status === "printing" || r.job_status === "paused")
        ? {
            id: r.job_id,
            fileName: r.job_file_name,
            status: r.job_status === "paused" ? "paused" : "printing",
            timeStarted: dateOf(r.job_started_ms),
            progress: r.job_progress,
            estimatedMinutes: r.job_estimated,
            failureReason: r.job_failure_reason,
            productSkuId: r.job_sku_id,
            numberOfUnits: r.job_units ?? 1,
          }
        : null,
  }));
}

/** The state of one machine to store. */
export interface PrinterWrite {
  id: string;
  machineId: string;
  name: string;
  status: PrinterStatus;
  sourceUrl: string;
  sourceVersion: string | null;
  reachable: boolean;
  lastError: string | null;
  temperatures: Temperatures;
  progressPercentage: number | null;
  /** Seconds OctoPrint expects the current print still needs. */
  printTimeLeftS: number | null;
  currentJobId: string | null;
  observedAt: Date;
  /** The status differs from the one last announced: the write announces it (unless in maintenance). */
  announce: boolean;
}

/**
 * Printer rows as one parameter however many there are: a JSON array of positional arrays
 * (object keys would make it a third larger), read back by PRINTER_COLUMNS in the same order.
 * An update leaves the machine id and the name alone: UPDATE_COLUMNS reads rows without them.
 */
/** A printer's state, in the positions both column lists below read after their leading fields. */
const stateOf = (r: PrinterWrite) => [
  r.status,
  r.sourceUrl,
  r.sourceVersion,
  r.reachable,
  r.lastError,
  r.temperatures,
  r.progressPercentage,
  r.printTimeLeftS,
  r.currentJobId,
  r.observedAt,
  r.announce,
];

const updateRows = (rows: PrinterWrite[]) => JSON.stringify(rows.map((r) => [r.id, ...stateOf(r)]));

const UPDATE_COLUMNS = sql.raw(`(e->>0)::uuid as id, e->>1 as status, e->>2 as source_url,
  e->>3 as source_version, (e->>4)::boolean as reachable, e->>5 as last_error,
  e->6 as temperatures, (e->>7)::float8 as progress, (e->>8)::int as time_left,
  (e->>9)::uuid as current_job_id, (e->>10)::timestamptz as observed_at,
  (e->>11)::boolean as announce`);

const printerRows = (rows: PrinterWrite[]) =>
  JSON.stringify(rows.map((r) => [r.id, r.machineId, r.name, ...stateOf(r)]));

const PRINTER_COLUMNS = sql.raw(`(e->>0)::uuid as id, e->>1 as machine_id, e->>2 as name,
  e->>3 as status, e->>4 as source_url, e->>5 as source_version, (e->>6)::boolean as reachable,
  e->>7 as last_error, e->8 as temperatures, (e->>9)::float8 as progress,
  (e->>10)::int as time_left, (e->>11)::uuid as current_job_id,
  (e->>12)::timestamptz as observed_at, (e->>13)::boolean as announce`);

/** What `updateAgentPrinters` found to announce. */
export interface AgentPrintersUpdate {
  /** The agent was not `connected` before this report (it is now). */
  agentConnected: boolean;
  /** Printers written with `announce` that are not in maintenance (which hides their status). */
  statusChanged: string[];
  /** Printers whose live readings changed, 5 s or more of observations after the last announced. */
  readingsChanged: string[];
  /**
   * The organizations of the printers written (the agent's, and another's for a printer moved
   * there): what this statement's triggers deferred, "printers:<organization>" each.
   */
  organizations: string[];
}

/** At most one printer.updated per printer per this many seconds of observations. */
export const READINGS_EVENT_EVERY_S = 5;

/**
 * Records that the agent reported (and what it said of itself, and that it is connected) and
 * updates its known printers, in one statement. The name is left alone: an owner may rename a
 * printer in the dashboard. A row whose stored observation is newer is left as it is. Call under
 * `openAgentReport`'s lock: the events sweep takes the same lock, so "was connected" and the announced
 * statuses read before are still true when written.
 */
export async function updateAgentPrinters(
  tx: Transaction,
  agent: { agentId: string; at: Date; version: string; hostname: string },
  rows: PrinterWrite[],
): Promise<AgentPrintersUpdate> {
  const seenAt = agent.at.toISOString();
  const result = await executeNamed<{ id: string | null; kind: string; flag: boolean }>(
    tx,
    "apf_ingest_update_printers",
    sql`
    with touched as (
      update ${agents} a set last_seen_at = ${seenAt}::timestamptz,
        version = ${agent.version}::text, hostname = ${agent.hostname}::text, connected = true
      where id = ${agent.agentId}::uuid
      -- a subquery sees the row as it was before this statement
      returning (select b.connected from ${agents} b where b.id = a.id) as was_connected
    ), changed as (
    update ${printers} as p set
      status = u.status,
      source_url = u.source_url,
      source_version = coalesce(u.source_version, p.source_version),
      reachable = u.reachable,
      last_error = u.last_error,
      temperatures = u.temperatures,
      progress_percentage = u.progress,
      print_time_left_s = u.time_left,
      current_job_id = u.current_job_id,
      observed_at = u.observed_at,
      last_seen_at = ${seenAt}::timestamptz,
      announced_status = u.status,
      -- SET reads the row as it was: readings that moved, long enough after the last event
      update_announced_at = case
        when (p.temperatures is distinct from u.temperatures
            or p.progress_percentage is distinct from u.progress
            or p.print_time_left_s is distinct from u.time_left)
          and (p.update_announced_at is null
            or p.update_announced_at <= u.observed_at - make_interval(secs => ${READINGS_EVENT_EVERY_S}))
        then u.observed_at else p.update_announced_at end,
      updated_at = now()
    from (select ${UPDATE_COLUMNS} from jsonb_array_elements(${updateRows(rows)}::jsonb) e) u
    where p.id = u.id and p.agent_id = ${agent.agentId}::uuid
      and (p.observed_at is null or p.observed_at < u.observed_at)
    returning p.id, p.organization_id, u.announce and not p.in_maintenance as announce,
      p.update_announced_at = u.observed_at as readings
    )
    select null::uuid as id, 'agent' as kind, not coalesce((select was_connected from touched), true) as flag
    union all
    select id, 'status', true from changed where announce
    union all
    select id, 'readings', true from changed where readings
    union all
    select distinct organization_id, 'organization', true from changed`,
  );
  const found = result.rows;
  const ids = (kind: string) => found.flatMap((r) => (r.kind === kind && r.id ? [r.id] : []));
  return {
    agentConnected: found.some((r) => r.kind === "agent" && r.flag),
    statusChanged: ids("status"),
    readingsChanged: ids("readings"),
    organizations: ids("organization"),
  };
}

/**
 * Inserts the agent's new printers; one that appeared meanwhile (same machine id) is updated as
 * `updateAgentPrinters` would.
 */
export async function insertAgentPrinters(
  tx: Transaction,
  agent: { organizationId: string; agentId: string; at: Date },
  rows: PrinterWrite[],
): Promise<void> {
  if (rows.length === 0) return;
  await executeNamed(
    tx,
    "apf_ingest_insert_printers",
    sql`
    insert into ${printers} (id, organization_id, agent_id, source_type, machine_id, name, status,
      source_url, source_version, reachable, last_error, temperatures, progress_percentage,
      print_time_left_s, current_job_id, observed_at, last_seen_at, announced_status)
    select u.id, ${agent.organizationId}::uuid, ${agent.agentId}::uuid, 'octoprint', u.machine_id,
      u.name, u.status, u.source_url, u.source_version, u.reachable, u.last_error, u.temperatures,
      u.progress, u.time_left, u.current_job_id, u.observed_at, ${agent.at.toISOString()}::timestamptz,
      u.status
    from (select ${PRINTER_COLUMNS} from jsonb_array_elements(${printerRows(rows)}::jsonb) e) u
    on conflict (agent_id, machine_id) do update set
      status = excluded.status,
      source_url = excluded.source_url,
      source_version = coalesce(excluded.source_version, ${printers}.source_version),
      reachable = excluded.reachable,
      last_error = excluded.last_error,
      temperatures = excluded.temperatures,
      progress_percentage = excluded.progress_percentage,
      print_time_left_s = excluded.print_time_left_s,
      current_job_id = excluded.current_job_id,
      observed_at = excluded.observed_at,
      last_seen_at = excluded.last_seen_at,
      announced_status = excluded.announced_status,
      updated_at = now()
    where ${printers}.observed_at is null or ${printers}.observed_at < excluded.observed_at`,
  );
}

/** A job a print start opens. */
export interface JobInsert {
  id: string;
  printerId: string;
  status: "printing" | "paused";
  fileName: string | null;
  productSkuId: string | null;
  numberOfUnits: number;
  color: string | null;
  materialType: string | null;
  progressPercentage: number | null;
  estimatedPrintTimeMinutes: number | null;
  timeStarted: Date;
}

/** Inserts the jobs of a report in one statement (the rows as one JSON parameter). */
export async function insertJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  const records = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      printer_id: r.printerId,
      status: r.status,
      file_name: r.fileName,
      sku_id: r.productSkuId,
      units: r.numberOfUnits,
      color: r.color,
      material: r.materialType,
      progress: r.progressPercentage,
      estimated: r.estimatedPrintTimeMinutes,
      started: r.timeStarted,
    })),
  );
  await executeNamed(
    tx,
    "apf_ingest_insert_jobs",
    sql`
    insert into ${jobs} (id, organization_id, printer_id, status, file_name, product_sku_id,
      number_of_units, color, material_type, filament_type, progress_percentage,
      estimated_print_time_minutes, time_started, time_submitted)
    select u.id, ${organizationId}::uuid, u.printer_id, u.status, u.file_name, u.sku_id, u.units,
      u.color, u.material, u.material, u.progress, u.estimated, u.started, u.started
    from jsonb_to_recordset(${records}::jsonb) as u(id uuid, printer_id uuid, status text,
      file_name text, sku_id uuid, units int, color text, material text, progress float8,
      estimated int, started timestamptz)`,
  );
}

/** New values for an existing job: progress while it runs, or how it ended. */
export interface JobUpdate {
  id: string;
  status: JobStatus;
  progressPercentage: number | null;
  estimatedPrintTimeMinutes: number | null;
  actualPrintTimeMinutes: number | null;
  failureReason: string | null;
  timeCompleted: Date | null;
}

/**
 * Updates many jobs in one statement (`update … from jsonb_to_recordset(…)`). A job the values
 * would not change is left as it is (no new row version, no `updated_at`, no change notification).
 */
export async function updateJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  const records = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      status: r.status,
      progress: r.progressPercentage,
      estimated: r.estimatedPrintTimeMinutes,
      actual: r.actualPrintTimeMinutes,
      failure_reason: r.failureReason,
      completed: r.timeCompleted,
    })),
  );
  await executeNamed(
    tx,
    "apf_ingest_update_jobs",
    sql`
    update ${jobs} as j set
      status = v.status,
      progress_percentage = coalesce(v.progress, j.progress_percentage),
      estimated_print_time_minutes = coalesce(v.estimated, j.estimated_print_time_minutes),
      actual_print_time_minutes = coalesce(v.actual, j.actual_print_time_minutes),
      failure_reason = v.failure_reason,
      time_completed = coalesce(v.completed, j.time_completed),
      updated_at = now()
    from jsonb_to_recordset(${records}::jsonb) as v(id uuid, status text, progress float8,
      estimated int, actual int, failure_reason text, completed timestamptz)
    where j.id = v.id and j.organization_id = ${organizationId}::uuid
      and (j.status, j.progress_percentage, j.estimated_print_time_minutes,
        j.actual_print_time_minutes, j.failure_reason, j.time_completed)
        is distinct from (v.status, coalesce(v.progress, j.progress_percentage),
        coalesce(v.estimated, j.estimated_print_time_minutes),
        coalesce(v.actual, j.actual_print_time_minutes), v.failure_reason,
        coalesce(v.completed, j.time_completed))`,
  );
}

/**
 * The SKUs of an organization that name a print file (the candidates for matching). Kits are
 * left out: a kit's stock grows by assembling its parts, never by a print; a printed part is a
 * SKU of its own and counts into its own stock.
 */
export async function loadSkusWithPrintFile(tx: Transaction, organizationId: string) {
  return tx
    .select({
      id: skus.id,
      printFileName: skus.printFileName,
      unitsPerPrint: skus.unitsPerPrint,
      color: skus.color,
      material: skus.material,
    })
    .from(skus)
    .where(
      and(
        eq(skus.organizationId, organizationId),
        isNotNull(skus.printFileName),
        eq(skus.isActive, true),
        sql`not ${isKitSku}`,
      ),
    );
}

/**
 * Adds completed jobs' units to their SKUs' ready_stock, once per job: the movement's unique
 * job_id makes a repeat a no-op, and only the movements actually inserted move the stock.
 * Returns the number of units counted.
 */
export async function countCompletedJobs(
  tx: Transaction,
  organizationId: string,
  completed: { jobId: string; skuId: string; units: number; at: Date }[],
): Promise<number> {
  if (completed.length === 0) return 0;
  const inserted = await tx
    .insert(stockMovements)
    .values(
      completed.map((c) => ({
        organizationId,
        skuId: c.skuId,
        delta: c.units,
        reason: "job_completed",
        jobId: c.jobId,
        createdAt: c.at,
      })),
    )
    .onConflictDoNothing()
    .returning({
      skuId: stockMovements.skuId,
      delta: stockMovements.delta,
      jobId: stockMovements.jobId,
    });
  if (inserted.length === 0) return 0;
  const perSku = new Map<string, number>();
  for (const m of inserted) perSku.set(m.skuId, (perSku.get(m.skuId) ?? 0) + m.delta);
  const values = sql.join(
    [...perSku].map(([skuId, delta]) => sql`(${skuId}::uuid, ${delta}::int)`),
    sql`, `,
  );
  await tx.execute(sql`
    update ${skus} as s set ready_stock = s.ready_stock + v.delta, updated_at = now()
    from (values ${values}) as v(id, delta)
    where s.id = v.id and s.organization_id = ${organizationId}`);
  const jobIds = inserted.map((m) => m.jobId!).filter(Boolean);
  await tx.update(jobs).set({ stockCountedAt: sql`now()` }).where(inArray(jobs.id, jobIds));
  return inserted.reduce((sum, m) => sum + m.delta, 0);
}

/** A queued job the printer has begun: it becomes the printer's open job. */
export interface JobLink {
  id: string;
  status: "printing" | "paused";
  progressPercentage: number | null;
  estimatedPrintTimeMinutes: number | null;
  timeStarted: Date;
}

/**
 * Moves handed-over queued jobs to what the printer shows (compare-and-set on processing or
 * uploaded). Returns the ids moved; a job cancelled meanwhile is not among them.
 */
export async function linkQueuedJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobLink[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const records = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      status: r.status,
      progress: r.progressPercentage,
      estimated: r.estimatedPrintTimeMinutes,
      started: r.timeStarted,
    })),
  );
  const result = await tx.execute(sql`
    update ${jobs} as j set
      status = v.status,
      progress_percentage = v.progress,
      estimated_print_time_minutes = coalesce(v.estimated, j.estimated_print_time_minutes),
      time_started = v.started,
      updated_at = now()
    from jsonb_to_recordset(${records}::jsonb) as v(id uuid, status text, progress float8,
      estimated int, started timestamptz)
    where j.id = v.id and j.organization_id = ${organizationId}
      and j.status in ('processing', 'uploaded')
    returning j.id`);
  return new Set((result as { rows: { id: string }[] }).rows.map((r) => r.id));
}

/** A handed-over job whose print did not begin on the printer. */
export interface FailedHandover {
  id: string;
  error: string;
}

/** A job that ended on a printer: its bed needs clearing. */
export interface JobEnd {
  jobId: string;
  printerId: string;
  status: "completed" | "failed" | "cancelled";
  fileName: string | null;
  failureReason: string | null;
  at: Date;
}

/**
 * Records that jobs ended on their printers: the bed is no longer clear (last_job_ended_at) and
 * a pending `collection` task appears on the worklist, once per job (tasks.ts words it). Returns
 * the tasks created.
 */
export async function recordJobEnds(
  tx: Transaction,
  organizationId: string,
  ends: JobEnd[],
): Promise<TaskRow[]> {
  if (ends.length === 0) return [];
  const records = JSON.stringify(ends.map((e) => ({ printer_id: e.printerId, at: e.at })));
  const beds = await tx.execute(sql`
    update ${printers} as p set
      last_job_ended_at = greatest(coalesce(p.last_job_ended_at, e.at), e.at)
    from (
      select printer_id, max(at) as at
      from jsonb_to_recordset(${records}::jsonb) as v(printer_id uuid, at timestamptz)
      group by printer_id
    ) e
    where p.id = e.printer_id and p.organization_id = ${organizationId}
    returning p.id, p.name`);
  const names = new Map(
    (beds as { rows: { id: string; name: string }[] }).rows.map((r) => [r.id, r.name]),
  );
  return createCollectionTasks(
    tx,
    ends.flatMap((end) => {
      const printerName = names.get(end.printerId);
      return printerName === undefined
        ? []
        : [
            {
              organizationId,
              printerId: end.printerId,
              jobId: end.jobId,
              jobStatus: end.status,
              printerName,
              fileName: end.fileName,
              now: end.at,
            },
          ];
    }),
  );
}
