import { throttleProgress } from "@apf/agent-core/print/progress";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("throttleProgress", () => {
  it("lets at most one report through per second", () => {
    const sent: Array<[string, number]> = [];
    const progress = throttleProgress((stage, percent) => {
      sent.push([stage, percent]);
      return undefined;
    });
    // 50 reports over 4.9 s of (fake) time: one every 100 ms.
    for (let i = 0; i < 50; i += 1) {
      progress(i < 25 ? "downloading" : "uploading", i * 2.5);
      vi.advanceTimersByTime(100);
    }
    expect(sent).toEqual([
      ["downloading", 0],
      ["downloading", 25],
      ["downloading", 50],
      ["uploading", 75],
      ["uploading", 100],
    ]);
  });

  it("rounds down and keeps percent within 0–100", () => {
    const sent: number[] = [];
    const progress = throttleProgress((_stage, percent) => {
      sent.push(percent);
      return undefined;
    });
    for (const percent of [-5, 33.9, 250]) {
      progress("uploading", percent);
      vi.advanceTimersByTime(1000);
    }
    expect(sent).toEqual([0, 33, 100]);
  });
});
