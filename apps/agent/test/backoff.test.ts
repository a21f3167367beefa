import { backoffDelayMs, parseRetryAfter } from "@apf/agent-core/backoff";
import { describe, expect, it } from "vitest";

describe("backoffDelayMs", () => {
  it("doubles from 1 s and stops at the 60 s cap (top of the jitter range)", () => {
    const delays = Array.from({ length: 9 }, (_, i) =>
      backoffDelayMs(i + 1, { random: () => 0.999999 }),
    );
    expect(delays).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
  });

  it("draws uniformly below the ceiling (full jitter)", () => {
    expect(backoffDelayMs(4, { random: () => 0.25 })).toBe(2000);
    expect(backoffDelayMs(20, { random: () => 0.5 })).toBe(30_000);
    const draws = [0.1, 0.9, 0.5];
    const jittered = draws.map((r) => backoffDelayMs(6, { random: () => r }));
    expect(jittered).toEqual([3200, 28800, 16000]);
  });

  it("never returns less than the floor, so a zero draw cannot busy-spin", () => {
    expect(backoffDelayMs(1, { random: () => 0 })).toBe(100);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");
  it("reads seconds and HTTP dates, ignores junk", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("999999", now)).toBe(600_000);
  });
});
