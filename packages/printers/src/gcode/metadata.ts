/**
 * What a G-code file's slicer comments say about it; null where they say nothing. Same fields
 * as the print_files columns (@apf/db's SlicerMetadata), which the API checks at compile time.
 */
export interface GcodeMetadata {
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

export const EMPTY_METADATA: GcodeMetadata = {
  slicer: null,
  printTimeSeconds: null,
  filamentWeightGrams: null,
  filamentLengthMeters: null,
  filamentType: null,
  printerModel: null,
  nozzleDiameter: null,
  layerCount: null,
  layerHeightMm: null,
};

/** `1d 2h 3m 4s`, `2h 5m`, `45s` → seconds; anything else → null. */
export function parseDuration(text: string): number | null {
  const parts = text.trim().match(/^(?:(\d+)d\s*)?(?:(\d+)h\s*)?(?:(\d+)m\s*)?(?:(\d+)s)?$/);
  if (!parts || text.trim() === "") return null;
  const [, d = "0", h = "0", m = "0", s = "0"] = parts;
  return Number(d) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** A finite, non-negative number, or null. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** Per-extruder values (`12.3, 4.5` or `12.3;4.5`), each a number; null if any is not. */
export function parseNumberList(text: string): number[] | null {
  const values = text.split(/[,;]/).map(parseNumber);
  return values.every((v): v is number => v !== null) ? values : null;
}

/** The sum of per-extruder values (grams, millimetres used), rounded to 0.01. */
export function sumOf(values: number[] | null): number | null {
  if (!values) return null;
  return Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
}

/**
 * One value for every extruder: the value when every extruder has the same one, else null
 * (a nozzle size that differs between extruders is not one fact about the file).
 */
export function sameForAll(values: number[] | null): number | null {
  if (!values || values.length === 0) return null;
  return values.every((v) => v === values[0]) ? values[0]! : null;
}

/**
 * Filament types of a multi-extruder file: `PLA;PLA` reads `PLA`, `PLA;PETG` reads `PLA;PETG`
 * (the distinct types in extruder order, joined by `;`); empty entries are dropped.
 */
export function filamentTypes(text: string): string | null {
  const types = [
    ...new Set(
      text
        .split(/[;,]/)
        .map((t) => t.trim().replace(/^"|"$/g, ""))
        .filter(Boolean),
    ),
  ];
  return types.length > 0 ? types.join(";") : null;
}
