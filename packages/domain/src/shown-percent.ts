/**
 * A stored percentage as every surface shows it (a printer's progress, a job's): clamped to
 * 0–100 and rounded half up to two decimals, so OctoPrint's float noise (38.007999999999996)
 * reads 38.01; null stays null. The one rule: the printer view and the job reads both call it.
 */
export function shownPercent(value: number | null): number | null {
  if (value === null) return null;
  const clamped = Math.min(100, Math.max(0, value));
  // Hundredths read to 15 significant digits before rounding (as Postgres reads a double), so
  // 1.005 shows 1.01 and not 1.00 from its binary 100.49999999999999.
  return Math.round(Number((clamped * 100).toPrecision(15))) / 100;
}
