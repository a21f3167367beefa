import type { Database } from "@apf/db";
import type { PrintFileRow } from "@apf/db/queries/print-files";
import { listPrintFiles } from "@apf/db/queries/print-files";
import { z } from "@hono/zod-openapi";
import type { PreparedUpload } from "../../../../modules/files/prepare-upload.ts";
import { iso, isUuid, text, timestamp } from "../../../../openapi/kit.ts";

/** A print file as integrators and the dashboard see it: metadata only, never where it is stored. */
export const PrintFileSchema = z
  .object({
    id: z.string().openapi({ description: "The print file's id (the `file_id` of the upload)." }),
    name: z.string(),
    product_id: z.string().nullable(),
    file_size_bytes: z.int(),
    sha256: z.string().openapi({ description: "SHA-256 of the bytes, lowercase hex." }),
    number_of_units: z.int(),
    print_time_seconds: z.int().nullable(),
    filament_weight_grams: z.number().nullable(),
    filament_length_meters: z.number().nullable(),
    filament_type: z.string().nullable().openapi({
      description:
        "The slicer's filament type; a multi-extruder file lists its distinct types in extruder order, joined by `;` (`PLA;PETG`; `PLA;PLA` reads `PLA`).",
    }),
    printer_model_id: z.string().nullable().openapi({
      description:
        "AutoPrintFarm's name for the slicer's raw `printer_model` text (e.g. `MK4S`); not an id.",
    }),
    nozzle_diameter: z.number().nullable().openapi({
      description: "In mm; null when the file does not say or its extruders differ.",
    }),
    layer_count: z.int().nullable(),
    layer_height_mm: z.number().nullable(),
    slicer: z.string().nullable().openapi({ example: "PrusaSlicer 2.7.1" }),
    has_thumbnail: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .openapi("PrintFile");

export type PrintFile = z.infer<typeof PrintFileSchema>;

/** The one view of a print file row, for every surface. */
export function toPrintFile(row: PrintFileRow): PrintFile {
  return {
    id: row.id,
    name: row.name,
    product_id: row.productId,
    file_size_bytes: row.fileSizeBytes,
    sha256: row.sha256,
    number_of_units: row.numberOfUnits,
    print_time_seconds: row.printTimeSeconds,
    filament_weight_grams: row.filamentWeightGrams,
    filament_length_meters: row.filamentLengthMeters,
    filament_type: row.filamentType,
    printer_model_id: row.printerModel,
    nozzle_diameter: row.nozzleDiameter,
    layer_count: row.layerCount,
    layer_height_mm: row.layerHeightMm,
    slicer: row.slicer,
    has_thumbnail: row.thumbnailKey !== null,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

const FILENAME_MESSAGE =
  "must be one file name of 1 to 255 characters: no / or \\, not . or .., no control characters";

/** One safe path segment of 1 to 255 characters. */
export const filenameField = text(255, { trim: false })
  .refine((v) => !/[/\\]/.test(v) && v !== "." && v !== "..", FILENAME_MESSAGE)
  .openapi({ example: "benchy.gcode", description: `The file's name; ${FILENAME_MESSAGE}.` });

export const UploadUrlRequestSchema = z
  .object({
    filename: filenameField,
    content_type: z
      .string()
      .regex(/^[\w.+-]{1,64}\/[\w.+-]{1,64}$/, "must be a media type such as text/x.gcode")
      .optional()
      .openapi({ example: "application/octet-stream" }),
  })
  .strict()
  .openapi("UploadUrlRequest");

export const UploadUrlSchema = z
  .object({
    file_id: z.string(),
    filename: z.string(),
    upload_token: z.string(),
    upload_url: z.string().openapi({
      description:
        "Where to PUT the bytes: a path on this API (prefix it with the API's origin), valid for `expires_in` seconds.",
    }),
    storage_key: z.string().openapi({ description: "Pass it to `POST /files` after the upload." }),
    content_type: z.string(),
    expires_in: z.int().openapi({ example: 3600 }),
  })
  .openapi("UploadUrl");

export function toUploadUrl(prepared: PreparedUpload, uploadPath: string) {
  return {
    file_id: prepared.fileId,
    filename: prepared.filename,
    upload_token: prepared.uploadToken,
    upload_url: `${uploadPath}/${prepared.uploadToken}`,
    storage_key: prepared.storageKey,
    content_type: prepared.contentType,
    expires_in: prepared.expiresIn,
  };
}

export const UploadResultSchema = z
  .object({
    size_bytes: z.int(),
    sha256: z.string().openapi({ description: "SHA-256 of the bytes received, lowercase hex." }),
  })
  .openapi("UploadResult");

export const CreatePrintFileSchema = z
  .object({
    name: text(255).openapi({ description: "Unique in the organization." }),
    storage_key: z.string().min(1).max(300).openapi({ description: "From the upload URL step." }),
    product_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "A product id of one of the organization's SKUs." }),
    number_of_units: z
      .int("must be a whole number from 1 to 10000")
      .min(1, "must be a whole number from 1 to 10000")
      .max(10000, "must be a whole number from 1 to 10000")
      .optional()
      .openapi({ description: "Parts one print of this file makes (default 1)." }),
  })
  .strict()
  .openapi("PrintFileCreate");

/** The token path parameter of the upload route. */
export const tokenParams = z.object({
  token: z
    .string()
    .max(4200)
    .openapi({ param: { name: "token", in: "path" }, description: "The upload token." }),
});

export const DeletedSchema = z
  .object({ id: z.string(), deleted: z.literal(true) })
  .openapi("PrintFileDeleted");

/** What both file lists (public and dashboard) take from their query string. */
export interface PrintFileListQuery {
  product_id?: string | undefined;
  filament_type?: string | undefined;
  model_id?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * One page of the organization's print files as both lists answer it. Ids are opaque: a
 * product_id that cannot exist filters everything out rather than erring.
 */
export async function printFilePage(db: Database, organizationId: string, q: PrintFileListQuery) {
  const page = { limit: q.limit, offset: q.offset };
  if (q.product_id !== undefined && !isUuid(q.product_id)) {
    return { success: true as const, data: [], meta: { ...page, count: 0 } };
  }
  const { rows, count } = await listPrintFiles(
    db,
    organizationId,
    { productId: q.product_id, filamentType: q.filament_type, printerModel: q.model_id },
    page,
  );
  return { success: true as const, data: rows.map(toPrintFile), meta: { ...page, count } };
}
