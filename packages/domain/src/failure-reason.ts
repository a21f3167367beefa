/**
 * A job's failure reason folded so that the same failure groups once: lower case, UUIDs and
 * long hex ids as `<id>`, other numbers as `#`, runs of spaces as one; empty or null → `unknown`.
 * `Thermal runaway on T0 at 215.3°C` and `thermal runaway on T1 at 230°C` both read
 * `thermal runaway on t# at #°c`.
 */
export function normalizeFailureReason(reason: string | null | undefined): string {
  const folded = (reason ?? "")
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/g, "<id>")
    .replace(/\d+(?:[.,]\d+)*/g, "#")
    .replace(/\s+/g, " ")
    .trim();
  return folded === "" ? "unknown" : folded;
}
