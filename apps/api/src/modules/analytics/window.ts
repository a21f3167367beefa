import type { AnalyticsWindow } from "@apf/db/queries/analytics";

/** Longest window an analytics read covers, in days (both ends included). */
export const MAX_WINDOW_DAYS = 366;
/** Days before today the default window starts (today − 29: thirty days with today). */
export const DEFAULT_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of `now` in the IANA time zone. */
export function dayInZone(now: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** Whether `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  // A zone's name, not an offset: "+05:00" means the opposite to Postgres (POSIX signs).
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `day` ± `n` days (calendar arithmetic on UTC dates: no time zone involved). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export type WindowOutcome =
  | { ok: true; window: AnalyticsWindow }
  | { ok: false; parameter: "from" | "to"; message: string };

/**
 * The window of an analytics read: `from`/`to` as asked (both days included), by default the
 * thirty days ending today in the organization's time zone. A reversed window names `from`, one
 * longer than 366 days names `to`.
 */
export function resolveWindow(
  asked: { from?: string; to?: string },
  timeZone: string,
  now: Date,
): WindowOutcome {
  const today = dayInZone(now, timeZone);
  const to = asked.to ?? today;
  const from = asked.from ?? addDays(to, -(DEFAULT_WINDOW_DAYS - 1));
  const span = daysBetween(from, to) + 1;
  if (span < 1) {
    return { ok: false, parameter: "from", message: `must be on or before "to" (${to})` };
  }
  if (span > MAX_WINDOW_DAYS) {
    return {
      ok: false,
      parameter: asked.to ? "to" : "from",
      message: `the window from ${from} to ${to} is ${span} days; at most ${MAX_WINDOW_DAYS} are allowed`,
    };
  }
  return { ok: true, window: { from, to, timeZone, now } };
}
