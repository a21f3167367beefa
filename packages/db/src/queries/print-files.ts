import { FINISHED_JOB_STATUSES } from "@apf/domain";
import { and, asc, desc, eq, gt, inArray, lt, notInArray, type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { fileUploads, jobs, printFiles, skus } from "../schema/index.ts";

export type PrintFileRow = typeof printFiles.$inferSelect;
export type FileUploadRow = typeof fileUploads.$inferSelect;
export type NewFileUpload = typeof fileUploads.$inferInsert;

/**
 * One print file of the organization, or null (also for another organization's id). With
 * `lock` (in a transaction) the row is locked FOR KEY SHARE until the transaction ends — the lock
 * a job's foreign key takes anyway, and the weakest that a delete (deletePrintFile's FOR UPDATE)
 * waits for: a job written meanwhile names a file that still exists, and the delete then sees it;
 * a delete already under way is waited for, and the file then reads as gone.
 */
export async function getPrintFile(
  db: Queryable,
  organizationId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PrintFileRow | null> {
  const query = db
    .select()
    .from(printFiles)
    .where(and(eq(printFiles.organizationId, organizationId), eq(printFiles.id, id)))
    .limit(1);
  const [row] = options.lock ? await query.for("key share") : await query;
  return row ?? null;
}

/** Records received bytes; a repeat upload of the same storage key replaces the record. */
export async function upsertFileUpload(db: Queryable, row: NewFileUpload): Promise<void> {
  const { storageKey: _key, ...rest } = row;
  await db
    .insert(fileUploads)
    .values(row)
    .onConflictDoUpdate({
      target: fileUploads.storageKey,
      set: rest,
      // The key holds the organization's id, but never let one overwrite another's record.
      setWhere: eq(fileUploads.organizationId, row.organizationId),
    });
}

/**
 * Takes the organization's upload record of `storageKey` (locked until the transaction ends),
 * or null when there is none or it expired.
 */
export async function lockFileUpload(
  tx: Queryable,
  organizationId: string,
  storageKey: string,
  now: Date,
): Promise<FileUploadRow | null> {
  const [row] = await tx
    .select()
    .from(fileUploads)
    .where(
      and(
        eq(fileUploads.organizationId, organizationId),
        eq(fileUploads.storageKey, storageKey),
        gt(fileUploads.expiresAt, now),
      ),
    )
    .for("update")
    .limit(1);
  return row ?? null;
}

export async function deleteFileUpload(tx: Queryable, organizationId: string, storageKey: string) {
  await tx
    .delete(fileUploads)
    .where(
      and(eq(fileUploads.organizationId, organizationId), eq(fileUploads.storageKey, storageKey)),
    );
}

/**
 * Removes up to `limit` upload records (of every organization) that expired before `before`, the
 * oldest first, and answers their storage and thumbnail keys: their bytes are the caller's to
 * delete once this has committed. A record that step 3 holds (lockFileUpload) is skipped.
 */
export async function takeExpiredUploads(db: Queryable, before: Date, limit: number) {
  const expired = db
    .select({ storageKey: fileUploads.storageKey })
    .from(fileUploads)
    .where(lt(fileUploads.expiresAt, before))
    .orderBy(asc(fileUploads.expiresAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db.delete(fileUploads).where(inArray(fileUploads.storageKey, expired)).returning({
    storageKey: fileUploads.storageKey,
    thumbnailKey: fileUploads.thumbnailKey,
  });
}

/** Whether some SKU of the organization has this product id. */
export async function productExists(db: Queryable, organizationId: string, productId: string) {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.productId, productId)))
    .limit(1);
  return row !== undefined;
}

/** Inserts a print file; null when the organization already has a file of that name. */
export async function insertPrintFile(
  tx: Queryable,
  values: typeof printFiles.$inferInsert,
): Promise<PrintFileRow | null> {
  const [row] = await tx
    .insert(printFiles)
    .values(values)
    .onConflictDoNothing({ target: [printFiles.organizationId, printFiles.name] })
    .returning();
  return row ?? null;
}

export interface PrintFileFilters {
  productId?: string;
  filamentType?: string;
  printerModel?: string;
}

function filtersWhere(organizationId: string, filters: PrintFileFilters): SQL {
  const conditions: SQL[] = [eq(printFiles.organizationId, organizationId)];
  if (filters.productId !== undefined) conditions.push(eq(printFiles.productId, filters.productId));
  if (filters.filamentType !== undefined) {
    conditions.push(eq(printFiles.filamentType, filters.filamentType));
  }
  if (filters.printerModel !== undefined) {
    conditions.push(eq(printFiles.printerModel, filters.printerModel));
  }
  return and(...conditions)!;
}

/** One page of the organization's print files, newest first, and how many match in all. */
export async function listPrintFiles(
  db: Queryable,
  organizationId: string,
  filters: PrintFileFilters,
  page: { limit: number; offset: number },
) {
  const where = filtersWhere(organizationId, filters);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(printFiles)
      .where(where)
      .orderBy(desc(printFiles.createdAt), desc(printFiles.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(printFiles).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/**
 * Deletes a print file unless a job that has not finished names it. The file's row is locked
 * first, so a job enqueued for it meanwhile (which locks it FOR KEY SHARE) waits or is refused.
 */
export async function deletePrintFile(
  tx: Queryable,
  organizationId: string,
  id: string,
): Promise<{ kind: "deleted"; row: PrintFileRow } | { kind: "not_found" } | { kind: "in_use" }> {
  const [row] = await tx
    .select()
    .from(printFiles)
    .where(and(eq(printFiles.organizationId, organizationId), eq(printFiles.id, id)))
    .for("update")
    .limit(1);
  if (!row) return { kind: "not_found" };
  const [busy] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.organizationId, organizationId),
        eq(jobs.printFileId, id),
        notInArray(jobs.status, [...FINISHED_JOB_STATUSES]),
      ),
    )
    .limit(1);
  if (busy) return { kind: "in_use" };
  await tx
    .delete(printFiles)
    .where(and(eq(printFiles.organizationId, organizationId), eq(printFiles.id, id)));
  return { kind: "deleted", row };
}
