/**
 * A periodic sweep's turn lasts this share of its period (queries/sweep-turns.ts): a little less
 * than the period, so the instance whose timer fires first in the next period takes it, however
 * the instances' timers drift against each other.
 */
export const SWEEP_TURN_SHARE = 0.8;
