/** Room temperature the heaters start from and cool back to, in °C. */
export const AMBIENT_C = 22;

const COOL_DOWN_MS = 120_000;

/**
 * A heater whose reading approaches its target exponentially. Pure in time: `actualAt(t)` depends
 * only on the last target change, so any clock (fake or real) gives consistent readings.
 */
export class Heater {
  private from = AMBIENT_C;
  private target = 0;
  private since = 0;
  // time constant; five of them bring the reading within 1 % of the target
  private tauMs = COOL_DOWN_MS / 5;

  /** Sets a new target at time `t`, reaching it in about `reachMs` (cooling uses a fixed pace). */
  setTarget(target: number, t: number, reachMs?: number): void {
    this.from = this.actualAt(t);
    this.target = target;
    this.since = t;
    const ms = target > 0 && reachMs !== undefined ? reachMs : COOL_DOWN_MS;
    this.tauMs = Math.max(ms, 1) / 5;
  }

  /** The target as OctoPrint reports it (0 when off). */
  targetValue(): number {
    return this.target;
  }

  /** The reading at time `t`, rounded to 0.01 °C like a firmware report. */
  actualAt(t: number): number {
    const goal = this.target > 0 ? this.target : AMBIENT_C;
    const elapsed = Math.max(0, t - this.since);
    const value = goal + (this.from - goal) * Math.exp(-elapsed / this.tauMs);
    return Math.round(value * 100) / 100;
  }
}
