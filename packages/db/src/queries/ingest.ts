import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
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
  currentJobId: string | null;
  observedAt: Date;
  lastSeenAt: Date;
}

/**
 * Inserts new printers and updates known ones in one statement. The name is only set on insert:
 * an owner may rename a printer in the dashboard. A row whose stored observation is newer is
 * left as it is.
 */
export async function upsertPrinters(
  tx: Transaction,
  organizationId: string,
  agentId: string,
  rows: PrinterWrite[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(printers)
    .values(rows.map((r) => ({ ...r, organizationId, agentId, sourceType: "octoprint" })))
    .onConflictDoUpdate({
      target: [printers.agentId, printers.machineId],
      set: {
        status: sql`excluded.status`,
        sourceUrl: sql`excluded.source_url`,
        sourceVersion: sql`coalesce(excluded.source_version, ${printers.sourceVersion})`,
        reachable: sql`excluded.reachable`,
        lastError: sql`excluded.last_error`,
        temperatures: sql`excluded.temperatures`,
        progressPercentage: sql`excluded.progress_percentage`,
        currentJobId: sql`excluded.current_job_id`,
        observedAt: sql`excluded.observed_at`,
        lastSeenAt: sql`excluded.last_seen_at`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${printers.observedAt} is null or ${printers.observedAt} < excluded.observed_at`,
    });
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

export async function insertJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(jobs).values(
    rows.map((r) => ({
      ...r,
      organizationId,
      filamentType: r.materialType,
      timeSubmitted: r.timeStarted,
    })),
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

/** Updates many jobs in one statement (`update … from (values …)`). */
export async function updateJobs(
  tx: Transaction,
  organizationId: string,
  rows: JobUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}::uuid, ${r.status}::text, ${r.progressPercentage}::float8, ${r.estimatedPrintTimeMinutes}::int, ${r.actualPrintTimeMinutes}::int, ${r.failureReason}::text, ${r.timeCompleted?.toISOString() ?? null}::timestamptz)`,
    ),
    sql`, `,
  );
  await tx.execute(sql`
    update ${jobs} as j set
      status = v.status,
      progress_percentage = coalesce(v.progress, j.progress_percentage),
      estimated_print_time_minutes = coalesce(v.estimated, j.estimated_print_time_minutes),
      actual_print_time_minutes = coalesce(v.actual, j.actual_print_time_minutes),
      failure_reason = v.failure_reason,
      time_completed = coalesce(v.completed, j.time_completed),
      updated_at = now()
    from (values ${values}) as v(id, status, progress, estimated, actual, failure_reason, completed)
    where j.id = v.id and j.organization_id = ${organizationId}`);
}

/** The SKUs of an organization that name a print file (the candidates for matching). */
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
