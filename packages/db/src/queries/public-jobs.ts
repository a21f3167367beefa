import { shownPercent } from "@apf/domain";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { type JobStatus, jobs, skus } from "../schema/index.ts";
import { QUEUE_ORDER, queuePlace } from "./print-queue.ts";

export interface PublicJobFilters {
  status?: JobStatus;
  printerId?: string;
}

const columns = {
  id: jobs.id,
  status: jobs.status,
  printerId: jobs.printerId,
  productId: skus.productId,
  productSkuId: jobs.productSkuId,
  productName: skus.productName,
  fileName: jobs.fileName,
  numberOfUnits: jobs.numberOfUnits,
  color: jobs.color,
  filamentType: jobs.filamentType,
  materialType: jobs.materialType,
  progressPercentage: jobs.progressPercentage,
  estimatedPrintTimeMinutes: jobs.estimatedPrintTimeMinutes,
  actualPrintTimeMinutes: jobs.actualPrintTimeMinutes,
  failureReason: jobs.failureReason,
  timeSubmitted: jobs.timeSubmitted,
  timeStarted: jobs.timeStarted,
  timeCompleted: jobs.timeCompleted,
  printFileId: jobs.printFileId,
  priority: jobs.priority,
  attempts: jobs.attempts,
  lastError: jobs.lastError,
  waitingReason: jobs.waitingReason,
  position: queuePlace,
  createdAt: jobs.createdAt,
  updatedAt: jobs.updatedAt,
};

/** A job row with its progress as every surface shows it (@apf/domain's one rule). */
function shown<Row extends { progressPercentage: number | null }>(row: Row): Row {
  return { ...row, progressPercentage: shownPercent(row.progressPercentage) };
}

/** The job's SKU, only when it belongs to the same organization. */
const skuOfJob = and(eq(skus.id, jobs.productSkuId), eq(skus.organizationId, jobs.organizationId));

function filtersWhere(organizationId: string, filters: PublicJobFilters): SQL {
  const conditions: SQL[] = [eq(jobs.organizationId, organizationId)];
  if (filters.status !== undefined) conditions.push(eq(jobs.status, filters.status));
  if (filters.printerId !== undefined) conditions.push(eq(jobs.printerId, filters.printerId));
  return and(...conditions)!;
}

function selectPublicJobs(db: Queryable) {
  return db.select(columns).from(jobs).leftJoin(skus, skuOfJob);
}
export type PublicJobRow = Awaited<ReturnType<typeof selectPublicJobs>>[number];

/**
 * One page of the organization's jobs, newest first (queued jobs alone: in queue order, priority
 * then position), and how many match in all.
 */
export async function listPublicJobs(
  db: Queryable,
  organizationId: string,
  filters: PublicJobFilters,
  page: { limit: number; offset: number },
) {
  const where = filtersWhere(organizationId, filters);
  const [rows, [total]] = await Promise.all([
    db
      .select(columns)
      .from(jobs)
      .leftJoin(skus, skuOfJob)
      .where(where)
      .orderBy(
        ...(filters.status === "queued" ? QUEUE_ORDER : [desc(jobs.createdAt), desc(jobs.id)]),
      )
      .limit(page.limit)
      .offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(jobs).where(where),
  ]);
  return { rows: rows.map(shown), count: total?.count ?? 0 };
}

/**
 * One job of the organization, or undefined (also for another organization's id). A named
 * prepared statement: its place in the queue costs more to plan than to run.
 */
export async function findPublicJob(
  db: Queryable,
  organizationId: string,
  jobId: string,
): Promise<PublicJobRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(jobs)
    .leftJoin(skus, skuOfJob)
    .where(and(eq(jobs.organizationId, organizationId), eq(jobs.id, jobId)))
    .limit(1)
    .prepare("apf_find_public_job")
    .execute();
  return row && shown(row);
}

/**
 * The organization's jobs among `jobIds` (in no particular order). Named and prepared like
 * findPublicJob (the ids go as one array, so the statement's text is the same for any count).
 */
export async function findPublicJobs(
  db: Queryable,
  organizationId: string,
  jobIds: readonly string[],
): Promise<PublicJobRow[]> {
  if (jobIds.length === 0) return [];
  return db
    .select(columns)
    .from(jobs)
    .leftJoin(skus, skuOfJob)
    .where(
      and(
        eq(jobs.organizationId, organizationId),
        sql`${jobs.id} = any(${`{${jobIds.join(",")}}`}::uuid[])`,
      ),
    )
    .prepare("apf_find_public_jobs")
    .execute();
}
