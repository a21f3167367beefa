import { setTimeout as delay } from "node:timers/promises";

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Real sleep that returns early on abort. */
export const sleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, { signal }).catch(() => undefined);
};

/** Backoff parameters; defaults: base 1 s, cap 60 s, floor 100 ms. */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Keeps an unlucky draw near 0 from turning retries into a busy loop. */
  floorMs?: number;
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: a uniform draw in [0, min(cap, base·2^(attempt-1))),
 * for `attempt` = 1 after the first failure.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? 1000;
  const capMs = options.capMs ?? 60_000;
  const floorMs = options.floorMs ?? 100;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(floorMs, Math.floor(random() * ceiling));
}

/** Longest Retry-After we honour; a broken proxy must not park the agent for a day. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** `Retry-After` (delta seconds or HTTP date) in ms, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}
