/** What matching needs of a SKU. */
export interface SkuCandidate {
  id: string;
  printFileName: string | null;
  unitsPerPrint: number;
}

/** Extensions of machine-code files that slicers and OctoPrint use; removed before comparing. */
export const PRINT_FILE_EXTENSIONS = [".gcode", ".bgcode", ".gco", ".ufp", ".g"] as const;

/**
 * The comparable form of a print file name: last path segment (either slash), trimmed,
 * lower-cased, without one machine-code extension. `Folder/Cube_V2.GCODE` → `cube_v2`.
 */
export function printFileKey(fileName: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? fileName).trim().toLowerCase();
  const ext = PRINT_FILE_EXTENSIONS.find((e) => base.endsWith(e) && base.length > e.length);
  return ext ? base.slice(0, -ext.length) : base;
}

/**
 * The SKU a finished job's file belongs to: an exact `print_file_name` match first, else a
 * case-insensitive match of the base names ignoring folders and extensions. When two SKUs match
 * at the same step the answer is null: counting stock into the wrong SKU is worse than not
 * counting it.
 */
export function matchSku<T extends SkuCandidate>(
  fileName: string | null | undefined,
  skus: readonly T[],
): T | null {
  if (!fileName?.trim()) return null;
  const withFile = skus.filter(
    (s): s is T & { printFileName: string } => !!s.printFileName?.trim(),
  );

  const exact = withFile.filter((s) => s.printFileName === fileName);
  if (exact.length > 0) return exact.length === 1 ? (exact[0] as T) : null;

  const key = printFileKey(fileName);
  if (!key) return null;
  const loose = withFile.filter((s) => printFileKey(s.printFileName) === key);
  return loose.length === 1 ? (loose[0] as T) : null;
}
