import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, instant, updatedAt } from "./columns.ts";
import { organizations } from "./organizations.ts";

/** What the slicer's comments say about a G-code file; null where it says nothing. */
export interface SlicerMetadata {
  slicer: string | null;
  printTimeSeconds: number | null;
  filamentWeightGrams: number | null;
  filamentLengthMeters: number | null;
  filamentType: string | null;
  printerModel: string | null;
  nozzleDiameter: number | null;
  layerCount: number | null;
  layerHeightMm: number | null;
}

/**
 * A print file: G-code in the file store, with what its slicer says about it. Its id is the
 * `file_id` handed out by the first upload step; its bytes sit at `storage_key`.
 */
export const printFiles = pgTable(
  "print_files",
  {
    id: uuid("id").primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The name the file was uploaded with (its extension is kept). */
    originalFilename: text("original_filename").notNull(),
    storageKey: text("storage_key").notNull(),
    /** The SKUs' product (skus.product_id) this file prints, if any. */
    productId: uuid("product_id"),
    fileSizeBytes: bigint("file_size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    numberOfUnits: integer("number_of_units").notNull().default(1),
    printTimeSeconds: integer("print_time_seconds"),
    filamentWeightGrams: doublePrecision("filament_weight_grams"),
    filamentLengthMeters: doublePrecision("filament_length_meters"),
    filamentType: text("filament_type"),
    /** The slicer's raw printer_model text (AutoPrintFarm calls the field printer_model_id). */
    printerModel: text("printer_model"),
    nozzleDiameter: real("nozzle_diameter"),
    layerCount: integer("layer_count"),
    layerHeightMm: real("layer_height_mm"),
    slicer: text("slicer"),
    /** Store key of the largest embedded thumbnail (PNG), or null. */
    thumbnailKey: text("thumbnail_key"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("print_files_org_name_key").on(t.organizationId, t.name),
    index("print_files_org_created_idx").on(t.organizationId, t.createdAt.desc(), t.id),
  ],
);

/**
 * Bytes received by `PUT /files/upload/{token}` and not yet made a print file (step 3). One row
 * per storage key; a repeat upload overwrites it. Rows past `expires_at` are swept with their bytes.
 */
export const fileUploads = pgTable(
  "file_uploads",
  {
    storageKey: text("storage_key").primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    fileId: uuid("file_id").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type"),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    metadata: jsonb("metadata").$type<SlicerMetadata>().notNull(),
    thumbnailKey: text("thumbnail_key"),
    uploadedAt: instant("uploaded_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [
    index("file_uploads_org_idx").on(t.organizationId, t.expiresAt),
    /** The upload sweep: every organization's expired uploads. */
    index("file_uploads_expires_idx").on(t.expiresAt),
  ],
);
