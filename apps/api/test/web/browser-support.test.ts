import { describe, expect, it } from "vitest";
import { CHROMIUM, chromiumSkipReason } from "../support/browser.ts";

const ABSENT = "/nonexistent/apf-test/chromium";

describe("whether the browser tests run", () => {
  it("skips them, saying why, where Chromium is absent outside CI", () => {
    expect(chromiumSkipReason(ABSENT, {})).toContain(`${ABSENT} is absent`);
    expect(chromiumSkipReason(ABSENT, { CI: "false" })).toContain("is absent");
  });

  it("fails them under CI=true when Chromium is absent, instead of skipping", () => {
    for (const CI of ["true", "1"]) {
      expect(() => chromiumSkipReason(ABSENT, { CI })).toThrow(
        `CI=${CI} needs Chromium for the browser tests, but ${ABSENT} is absent`,
      );
    }
  });

  it.runIf(chromiumSkipReason(CHROMIUM, {}) === null)("runs them where Chromium is present", () => {
    expect(chromiumSkipReason(CHROMIUM, { CI: "true" })).toBeNull();
  });
});
