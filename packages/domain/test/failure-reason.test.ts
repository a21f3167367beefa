import { describe, expect, it } from "vitest";
import { normalizeFailureReason } from "../src/index.ts";

describe("normalizeFailureReason", () => {
  it.each([
    ["Thermal runaway on T0 at 215.3C", "thermal runaway on t# at #c"],
    ["thermal runaway on T1 at 230C", "thermal runaway on t# at #c"],
    ["Job 3f2b1c9e-0a4d-4e5f-9a8b-7c6d5e4f3a2b cancelled", "job <id> cancelled"],
    ["Upload deadbeef01 failed", "upload <id> failed"],
    ["  Filament   runout ", "filament runout"],
    ["Decoupled heater (feedback)", "decoupled heater (feedback)"],
    ["", "unknown"],
    [null, "unknown"],
  ])("folds %j to %j", (reason, expected) => {
    expect(normalizeFailureReason(reason)).toBe(expected);
  });

  it("keeps words made of hex letters", () => {
    expect(normalizeFailureReason("deadbeef feedface")).toBe("deadbeef feedface");
  });
});
