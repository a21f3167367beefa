import type { CommandBus } from "./bus.ts";

export interface WaitOptions<T> {
  topic: string;
  /** Reads the truth; a value ends the wait. */
  check: () => Promise<T | undefined>;
  timeoutMs: number;
  /** Re-read this often even without a wake-up, in case a message was lost. */
  recheckMs: number;
  signal?: AbortSignal;
  /** Called once the subscription is in place, before the first check. */
  onListening?: () => void;
}

/**
 * Calls `check` now, on every publish of `topic`, and every `recheckMs`, until it gives a value
 * (returned), `timeoutMs` passes or `signal` aborts (undefined). Subscribes before the first
 * check, so a publish between the two is never missed.
 */
export async function waitFor<T>(bus: CommandBus, options: WaitOptions<T>): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let woken = false;
  let wake: (() => void) | undefined;
  const unsubscribe = bus.subscribe(options.topic, () => {
    woken = true;
    wake?.();
  });
  options.onListening?.();
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      woken = false;
      const value = await options.check();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0 || options.signal?.aborted) return undefined;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, options.recheckMs));
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  } finally {
    unsubscribe();
    options.signal?.removeEventListener("abort", onAbort);
  }
}
