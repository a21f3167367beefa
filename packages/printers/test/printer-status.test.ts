import { PRINTER_STATUSES } from "@apf/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { statusFromFlags } from "../src/printer-status.ts";

// Flag combinations as OctoPrint 1.5+ sets them for each MachineCom state (printer/standard.py
// get_state_flags; comm.py PRINTING_STATES = STARTING, PRINTING, CANCELLING, PAUSING, RESUMING,
// FINISHING; OPERATIONAL_STATES add OPERATIONAL, PAUSED, TRANSFERING_FILE).
const op = { operational: true };
const cases: [string, Record<string, boolean>, string][] = [
  ["Operational", { ...op, ready: true }, "idle"],
  ["Starting / Printing", { ...op, printing: true }, "printing"],
  ["Pausing", { ...op, printing: true, pausing: true }, "pausing"],
  ["Paused", { ...op, paused: true }, "paused"],
  ["Resuming", { ...op, printing: true, resuming: true }, "printing"],
  ["Cancelling", { ...op, printing: true, cancelling: true }, "cancelling"],
  ["Finishing", { ...op, printing: true, finishing: true }, "printing"],
  ["Transferring file to SD", { ...op }, "idle"],
  ["Error", { error: true, closedOrError: true }, "error"],
  ["Offline after error", { error: true, closedOrError: true }, "error"],
  ["Offline", { closedOrError: true }, "offline"],
  ["Connecting / detecting", {}, "offline"],
];

describe("statusFromFlags", () => {
  it.each(cases)("maps OctoPrint's %s flags to %s", (_text, flags, status) => {
    expect(statusFromFlags(flags)).toBe(status);
  });

  it("treats a paused printer that is resuming as printing", () => {
    expect(statusFromFlags({ ...op, paused: true, resuming: true })).toBe("printing");
  });

  it("lets cancelling win over pausing and paused (cancel while pausing)", () => {
    expect(statusFromFlags({ ...op, printing: true, pausing: true, cancelling: true })).toBe(
      "cancelling",
    );
    expect(statusFromFlags({ ...op, paused: true, cancelling: true })).toBe("cancelling");
  });

  it("lets error win over everything, and always answers a known status", () => {
    const flag = fc.option(fc.boolean(), { nil: undefined });
    const flags = fc.record({
      operational: flag,
      printing: flag,
      paused: flag,
      pausing: flag,
      cancelling: flag,
      resuming: flag,
      finishing: flag,
      ready: flag,
      error: flag,
      closedOrError: flag,
      sdReady: flag,
    });
    fc.assert(
      fc.property(flags, (f) => {
        const status = statusFromFlags(f);
        expect(PRINTER_STATUSES).toContain(status);
        if (f.error) expect(status).toBe("error");
        else if (f.closedOrError) expect(status).toBe("offline");
      }),
    );
  });

  it("ignores unknown flags", () => {
    // OctoPrint's flags as a plugin may extend them: a flag the type does not name is ignored.
    const withPluginFlag = { ...op, ready: true, somePluginFlag: true };
    expect(statusFromFlags(withPluginFlag)).toBe("idle");
  });
});
