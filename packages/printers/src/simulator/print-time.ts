// How long a sliced file takes, from the comments slicers write into it. PrusaSlicer,
// SuperSlicer, OrcaSlicer and Bambu Studio: `; estimated printing time (normal mode) = 1d 2h 3m 4s`;
// Cura: `;TIME:3723`. Unknown → null, never a guess.

const PRUSA = /^;\s*estimated printing time \(normal mode\)\s*=\s*(.+)$/im;
const CURA = /^;TIME:\s*(\d+(?:\.\d+)?)\s*$/m;
const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/** Seconds of printing a slicer estimated in `text` (a head or tail of the G-code), or null. */
export function slicerPrintSeconds(text: string): number | null {
  const prusa = PRUSA.exec(text)?.[1];
  if (prusa) {
    let total = 0;
    let matched = false;
    for (const part of prusa.matchAll(/(\d+)\s*([dhms])/g)) {
      total += Number(part[1]) * (UNIT_SECONDS[part[2] as string] ?? 0);
      matched = true;
    }
    if (matched) return total;
  }
  const cura = CURA.exec(text)?.[1];
  return cura === undefined ? null : Math.round(Number(cura));
}
