import type { TransferStage } from "@apf/domain";

/**
 * Reports how far a print command's transfer got; calls beyond the throttle are dropped. May
 * return a promise settled once the report was sent; the transfer never waits for it.
 */
export type ProgressSink = (stage: TransferStage, percent: number) => Promise<void> | undefined;

/**
 * Lets at most one report through per `intervalMs` (one command's transfer): the first at once,
 * then only after the interval has passed. Percent is rounded down to a whole number in 0–100.
 */
export function throttleProgress(
  send: ProgressSink,
  now: () => number = Date.now,
  intervalMs = 1000,
): ProgressSink {
  let last: number | undefined;
  return (stage, percent) => {
    const t = now();
    if (last !== undefined && t - last < intervalMs) return undefined;
    last = t;
    return send(stage, Math.min(100, Math.max(0, Math.floor(percent))));
  };
}
