import { takeExpiredUploads } from "@apf/db/queries/print-files";
import type { Services } from "../../context.ts";

/** Upload records removed per statement; the sweep repeats until none is left. */
const BATCH = 500;

/**
 * Removes uploads whose bytes arrived (`PUT /files/upload/{token}`) but never became a print file
 * (step 3) within their hour, with their bytes and thumbnail in the file store. Run by the
 * periodic sweep of each instance (print-queue/dispatcher.ts); instances never take the same
 * record. A record is taken only once APF_REQUEST_TIMEOUT_MS more has passed, so a repeat upload
 * of the same token that was still streaming when the record expired has ended and cannot store
 * bytes after they were deleted. Answers how many it removed.
 */
export async function sweepExpiredUploads(
  services: Pick<Services, "db" | "clock" | "config" | "fileStore" | "logger">,
): Promise<number> {
  const { db, clock, config, fileStore, logger } = services;
  const before = new Date(clock.now().getTime() - config.APF_REQUEST_TIMEOUT_MS);
  let removed = 0;
  for (;;) {
    const rows = await takeExpiredUploads(db, before, BATCH);
    for (const row of rows) {
      for (const key of [row.storageKey, row.thumbnailKey]) {
        if (!key) continue;
        try {
          await fileStore.delete(key);
        } catch (error) {
          // The record is gone; bytes a store failure left behind are only unreachable.
          logger.warn(
            { err: error, storage_key: key },
            "could not delete an expired upload's bytes from the file store",
          );
        }
      }
    }
    removed += rows.length;
    if (rows.length < BATCH) return removed;
  }
}
