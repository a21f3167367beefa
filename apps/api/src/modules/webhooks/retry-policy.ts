import type { Env } from "../../env.ts";

/**
 * The one retry policy of webhook deliveries: after attempt n fails, attempt n+1 runs
 * schedule[n-1] seconds later, ±10 % jitter (so endpoints that failed together do not all come
 * back at once); after the last entry the delivery fails. The contract's schedule is 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h (about 28 hours); APF_WEBHOOK_RETRY_SCHEDULE_S shortens it in tests.
 * Retries outlive the process, so the policy is applied by scheduling a task, not by a library's
 * in-memory retry loop.
 */
export interface RetryPolicy {
  /** Seconds until the attempt after `attempts` attempts failed; null when none is left. */
  delayAfter(attempts: number): number | null;
  readonly schedule: readonly number[];
}

export function retryPolicy(schedule: readonly number[], jitter = 0.1): RetryPolicy {
  return {
    schedule,
    delayAfter(attempts) {
      const base = schedule[attempts - 1];
      if (base === undefined) return null;
      return base * (1 - jitter + Math.random() * 2 * jitter);
    },
  };
}

/** The policy APF_WEBHOOK_RETRY_SCHEDULE_S describes. */
export function retryPolicyOf(config: Pick<Env, "APF_WEBHOOK_RETRY_SCHEDULE_S">): RetryPolicy {
  return retryPolicy(config.APF_WEBHOOK_RETRY_SCHEDULE_S.split(",").map(Number));
}
