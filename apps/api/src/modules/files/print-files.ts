import type { Readable } from "node:stream";
import {
  deleteFileUpload,
  deletePrintFile,
  getPrintFile,
  insertPrintFile,
  lockFileUpload,
  type PrintFileRow,
  productExists,
} from "@apf/db/queries/print-files";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { type Actor, recordAudit } from "../audit/audit.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type FileServices = Pick<Services, "db" | "clock" | "fileStore" | "logger">;

export interface NewPrintFile {
  name: string;
  storageKey: string;
  productId?: string;
  numberOfUnits?: number;
}

/**
 * Step 3 of an upload: makes the uploaded bytes a print file named `name`, with the metadata read
 * while they streamed. Its id is the upload's file id. Throws FILE_NOT_UPLOADED (no bytes under
 * that storage key in this organization, or their hour is over), PRODUCT_NOT_FOUND or
 * DUPLICATE_NAME; nothing is written then.
 */
export async function createPrintFile(
  services: FileServices,
  organizationId: string,
  origin: Actor,
  input: NewPrintFile,
): Promise<PrintFileRow> {
  const now = services.clock.now();
  return services.db.transaction(async (tx) => {
    const upload = await lockFileUpload(tx, organizationId, input.storageKey, now);
    if (!upload) {
      throw new DomainError(
        "FILE_NOT_UPLOADED",
        "Nothing was uploaded under this storage_key (or it was more than an hour ago): PUT the bytes to the upload_url first.",
      );
    }
    const productId = input.productId;
    if (
      productId !== undefined &&
      !(UUID.test(productId) && (await productExists(tx, organizationId, productId)))
    ) {
      throw new DomainError(
        "PRODUCT_NOT_FOUND",
        "No SKU of this organization has this product_id.",
      );
    }
    const m = upload.metadata;
    const row = await insertPrintFile(tx, {
      id: upload.fileId,
      organizationId,
      name: input.name,
      originalFilename: upload.filename,
      storageKey: upload.storageKey,
      productId: input.productId ?? null,
      fileSizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
      numberOfUnits: input.numberOfUnits ?? 1,
      printTimeSeconds: m.printTimeSeconds,
      filamentWeightGrams: m.filamentWeightGrams,
      filamentLengthMeters: m.filamentLengthMeters,
      filamentType: m.filamentType,
      printerModel: m.printerModel,
      nozzleDiameter: m.nozzleDiameter,
      layerCount: m.layerCount,
      layerHeightMm: m.layerHeightMm,
      slicer: m.slicer,
      thumbnailKey: upload.thumbnailKey,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) {
      throw new DomainError(
        "DUPLICATE_NAME",
        `This organization already has a print file named "${input.name}".`,
      );
    }
    await deleteFileUpload(tx, organizationId, input.storageKey);
    await recordAudit(tx, origin, {
      organizationId,
      action: "file.created",
      target: { type: "print_file", id: row.id },
      details: { name: row.name, size_bytes: row.fileSizeBytes, sha256: row.sha256 },
    });
    return row;
  });
}

/**
 * Deletes a print file, then its bytes and thumbnail. Throws NOT_FOUND, or FILE_IN_USE while a
 * job that has not finished names it.
 */
export async function removePrintFile(
  services: FileServices,
  organizationId: string,
  origin: Actor,
  id: string,
): Promise<void> {
  const row = await services.db.transaction(async (tx) => {
    const outcome = await deletePrintFile(tx, organizationId, id);
    if (outcome.kind === "not_found") throw new DomainError("NOT_FOUND", "Print file not found.");
    if (outcome.kind === "in_use") {
      throw new DomainError(
        "FILE_IN_USE",
        "A job that has not finished prints this file; cancel it or wait for it to end first.",
      );
    }
    await recordAudit(tx, origin, {
      organizationId,
      action: "file.deleted",
      target: { type: "print_file", id },
      details: { name: outcome.row.name },
    });
    return outcome.row;
  });
  // The record is gone; bytes left behind by a store failure are only unreachable, not wrong.
  for (const key of [row.storageKey, row.thumbnailKey]) {
    if (!key) continue;
    try {
      await services.fileStore.delete(key);
    } catch (error) {
      services.logger.warn(
        { err: error, print_file_id: id },
        "could not delete a deleted print file's bytes from the file store",
      );
    }
  }
}

/** A print file's thumbnail (PNG) as a stream, or null when it has none (or no such file). */
export async function openThumbnail(
  services: FileServices,
  organizationId: string,
  id: string,
): Promise<{ body: Readable; sizeBytes: number } | null> {
  const row = await getPrintFile(services.db, organizationId, id);
  if (!row?.thumbnailKey) return null;
  return services.fileStore.get(row.thumbnailKey);
}
