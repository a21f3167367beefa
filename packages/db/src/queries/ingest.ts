import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import {
  agents,
  type JobStatus,
  jobs,
  type PrinterStatus,
  printers,
  skuParts,
  skus,
  stockMovements,
  type Temperatures,
} from "../schema/index.ts";

/**
 * Serialises the reports of one agent: two reports of the same agent never interleave, so
 * "is this observation newer than what we have" is decided on settled rows.
 */
export async function lockAgentReports(tx: Transaction, agentId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${agentId}, 0))`);
}

/** How many printers the agent has created so far (its bound is checked against this). */
export async function countAgentPrinters(
  tx: Transaction,
  organizationId: string,
  agentId: string,
): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(printers)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.agentId, agentId)));
  return row?.count ?? 0;
}

/** What is stored of a machine before a report is applied. */
export interface StoredMachine {
  printerId: string;
  machineId: string;
  observedAt: Date | null;
  status: PrinterStatus;
  openJob: {
    id: string;
    fileName: string | null;
    status: "printing" | "paused";
    timeStarted: Date | null;
    progress: number | null;
    productSkuId: string | null;
    numberOfUnits: number;
  } | null;
}

/** The printers (and their open jobs) of these machine ids of the agent, in one query. */
export async function loadStoredMachines(
  tx: Transaction,
  agentId: string,
  machineIds: string[],
): Promise<StoredMachine[]> {
  if (machineIds.length === 0) return [];
  const rows = await tx
    .select({
      printerId: printers.id,
      machineId: printers.machineId,
      observedAt: printers.observedAt,
      status: printers.status,
      jobId: jobs.id,
      jobFileName: jobs.fileName,
      jobStatus: jobs.status,
      jobStarted: jobs.timeStarted,
      jobProgress: jobs.progressPercentage,
      jobSkuId: jobs.productSkuId,
      jobUnits: jobs.numberOfUnits,
    })
    .from(printers)
    .leftJoin(
      jobs,
      and(eq(jobs.printerId, printers.id), inArray(jobs.status, ["printing", "paused"])),
    )
    .where(and(eq(printers.agentId, agentId), inArray(printers.machineId, machineIds)));
  return rows.map((r) => ({
    printerId: r.printerId,
    machineId: r.machineId,
    observedAt: r.observedAt,
    status: r.status,
    openJob: r.jobId
      ? {
          id: r.jobId,
          fileName: r.jobFileName,
          status: r.jobStatus === "paused" ? "paused" : "printing",
          timeStarted: r.jobStarted,
          progress: r.jobProgress,
          productSkuId: r.jobSkuId,
          numberOfUnits: r.jobUnits ?? 1,
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
  lastSeenAt: Date;
}

/** One array parameter (drizzle would otherwise spread a JS array into a list of params). */
const column = <T>(values: T[]) => sql.param(values);
const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Inserts new printers and updates known ones in one statement whatever the number of machines:
 * one array parameter per column, `unnest`ed into rows. The name is only set on insert: an owner
 * may rename a printer in the dashboard. A row whose stored observation is newer is left as it is.
 */
export async function upsertPrinters(
  tx: Transaction,
  organizationId: string,
  agentId: string,
  rows: PrinterWrite[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${printers} (id, organization_id, agent_id, source_type, machine_id, name, status,
      source_url, source_version, reachable, last_error, temperatures, progress_percentage,
      print_time_left_s, current_job_id, observed_at, last_seen_at)
    select u.id, ${organizationId}::uuid, ${agentId}::uuid, 'octoprint', u.machine_id, u.name,
      u.status, u.source_url, u.source_version, u.reachable, u.last_error, u.temperatures::jsonb,
      u.progress, u.time_left, u.current_job_id, u.observed_at, u.last_seen_at
    from unnest(
      ${column(rows.map((r) => r.id))}::uuid[],
      ${column(rows.map((r) => r.machineId))}::text[],
      ${column(rows.map((r) => r.name))}::text[],
      ${column(rows.map((r) => r.status))}::text[],
      ${column(rows.map((r) => r.sourceUrl))}::text[],
      ${column(rows.map((r) => r.sourceVersion))}::text[],
      ${column(rows.map((r) => r.reachable))}::boolean[],
      ${column(rows.map((r) => r.lastError))}::text[],
      ${column(rows.map((r) => JSON.stringify(r.temperatures)))}::text[],
      ${column(rows.map((r) => r.progressPercentage))}::float8[],
      ${column(rows.map((r) => r.printTimeLeftS ?? null))}::int[],
      ${column(rows.map((r) => r.currentJobId))}::uuid[],
      ${column(rows.map((r) => isoOrNull(r.observedAt)))}::timestamptz[],
      ${column(rows.map((r) => isoOrNull(r.lastSeenAt)))}::timestamptz[]
    ) as u(id, machine_id, name, status, source_url, source_version, reachable, last_error,
      temperatures, progress, time_left, current_job_id, observed_at, last_seen_at)
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
      updated_at = now()
    where ${printers}.observed_at is null or ${printers}.observed_at < excluded.observed_at`);
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

/** Inserts the jobs of a report in one statement (one array parameter per column). */
export async function insertJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${jobs} (id, organization_id, printer_id, status, file_name, product_sku_id,
      number_of_units, color, material_type, filament_type, progress_percentage,
      estimated_print_time_minutes, time_started, time_submitted)
    select u.id, ${organizationId}::uuid, u.printer_id, u.status, u.file_name, u.sku_id, u.units,
      u.color, u.material, u.material, u.progress, u.estimated, u.started, u.started
    from unnest(
      ${column(rows.map((r) => r.id))}::uuid[],
      ${column(rows.map((r) => r.printerId))}::uuid[],
      ${column(rows.map((r) => r.status))}::text[],
      ${column(rows.map((r) => r.fileName))}::text[],
      ${column(rows.map((r) => r.productSkuId))}::uuid[],
      ${column(rows.map((r) => r.numberOfUnits))}::int[],
      ${column(rows.map((r) => r.color))}::text[],
      ${column(rows.map((r) => r.materialType))}::text[],
      ${column(rows.map((r) => r.progressPercentage))}::float8[],
      ${column(rows.map((r) => r.estimatedPrintTimeMinutes))}::int[],
      ${column(rows.map((r) => r.timeStarted.toISOString()))}::timestamptz[]
    ) as u(id, printer_id, status, file_name, sku_id, units, color, material, progress,
      estimated, started)`);
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

/** Updates many jobs in one statement (`update … from unnest(…)`). */
export async function updateJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    update ${jobs} as j set
      status = v.status,
      progress_percentage = coalesce(v.progress, j.progress_percentage),
      estimated_print_time_minutes = coalesce(v.estimated, j.estimated_print_time_minutes),
      actual_print_time_minutes = coalesce(v.actual, j.actual_print_time_minutes),
      failure_reason = v.failure_reason,
      time_completed = coalesce(v.completed, j.time_completed),
      updated_at = now()
    from unnest(
      ${column(rows.map((r) => r.id))}::uuid[],
      ${column(rows.map((r) => r.status))}::text[],
      ${column(rows.map((r) => r.progressPercentage))}::float8[],
      ${column(rows.map((r) => r.estimatedPrintTimeMinutes))}::int[],
      ${column(rows.map((r) => r.actualPrintTimeMinutes))}::int[],
      ${column(rows.map((r) => r.failureReason))}::text[],
      ${column(rows.map((r) => isoOrNull(r.timeCompleted)))}::timestamptz[]
    ) as v(id, status, progress, estimated, actual, failure_reason, completed)
    where j.id = v.id and j.organization_id = ${organizationId}`);
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
        // Qualified by hand: drizzle writes a single-table select's columns bare.
        sql`not exists (select 1 from ${skuParts} sp where sp.kit_sku_id = ${sql.identifier("skus")}.${sql.identifier("id")})`,
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

/** Records that the agent reported, and what it said of itself. */
export async function touchAgent(
  tx: Transaction,
  agentId: string,
  at: Date,
  self: { version: string; hostname: string },
): Promise<void> {
  await tx
    .update(agents)
    .set({ lastSeenAt: at, version: self.version, hostname: self.hostname })
    .where(eq(agents.id, agentId));
}
