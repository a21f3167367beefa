import { describe, expect, it } from "vitest";
import { shownPercent } from "../src/shown-percent.ts";

describe("shownPercent", () => {
  it("rounds half up to two decimals, through float noise", () => {
    expect(shownPercent(38.007999999999996)).toBe(38.01);
    expect(shownPercent(1.005)).toBe(1.01);
    expect(shownPercent(33.333333)).toBe(33.33);
    expect(shownPercent(66.665)).toBe(66.67);
    expect(shownPercent(0.004)).toBe(0);
    expect(shownPercent(1e-7)).toBe(0);
  });

  it("clamps to 0–100 and keeps null", () => {
    expect(shownPercent(100.4)).toBe(100);
    expect(shownPercent(-3)).toBe(0);
    expect(shownPercent(null)).toBeNull();
  });
});
