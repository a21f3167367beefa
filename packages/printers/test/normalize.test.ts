import { describe, expect, it } from "vitest";
import { MACHINE_ERRORS, normalizeJob, normalizeMachine } from "../src/normalize.ts";
import { jobResponseSchema } from "../src/octoprint/schemas.ts";
import { jobFixture, printerFixture } from "../src/testing/octoprint-fixtures.ts";
import type { Loose } from "./helpers/loose.ts";
import {
  jobBody,
  machineReport,
  normalized,
  OBSERVED_AT,
  printerWithFlags,
  reportWith,
} from "./helpers/machines.ts";

describe("normalizeMachine with the documentation's bodies", () => {
  const m = normalized();

  it("copies identity, observation time and the server version", () => {
    expect(m).toMatchObject({
      machineId: "my_octoprint_machine",
      name: "my_octoprint_machine",
      url: "http://192.168.1.41:5000",
      reachable: true,
      online: true,
      error: null,
      octoprintVersion: "1.3.10",
      errorText: null,
    });
    expect(m.observedAt.toISOString()).toBe(OBSERVED_AT);
  });

  it("derives idle from the printer fixture's flags (operational, ready)", () => {
    expect(m.status).toBe("idle");
  });

  it("reports every tool and the bed, with null targets, without history", () => {
    expect(m.temperatures).toEqual({
      tool0: { actual: 214.8821, target: 220 },
      tool1: { actual: 25.3, target: null },
      bed: { actual: 50.221, target: 70 },
    });
  });

  it("reads the job fixture: file, completion percent, times in seconds", () => {
    expect(m.job).toEqual({
      fileName: "whistle_v2.gcode",
      progress: 0.2298468264184775,
      printTimeS: 276,
      printTimeLeftS: 912,
      estimatedPrintTimeS: 8811,
    });
  });
});

describe("normalizeMachine status from flags, never from text", () => {
  it.each([
    [{ printing: true }, "printing"],
    [{ printing: true, pausing: true }, "pausing"],
    [{ paused: true }, "paused"],
    [{ printing: true, cancelling: true }, "cancelling"],
    [{ printing: true, resuming: true }, "printing"],
    [{ printing: true, finishing: true }, "printing"],
    [{ ready: true }, "idle"],
  ])("flags %j → %s", (flags, status) => {
    expect(
      normalizeMachine(reportWith({ printer: printerWithFlags(flags), job: jobFixture() })).status,
    ).toBe(status);
  });

  it("says printing for a printing printer whose text reads 'Operational'", () => {
    const printer = printerWithFlags({ printing: true }, { text: "Operational" });
    expect(normalizeMachine(reportWith({ printer })).status).toBe("printing");
  });

  it("reports error with OctoPrint's state.error text", () => {
    const printer = printerWithFlags(
      { operational: false, error: true, closedOrError: true },
      { error: "Thermal Runaway" },
    );
    expect(normalizeMachine(reportWith({ printer, job: jobFixture() }))).toMatchObject({
      status: "error",
      errorText: "Thermal Runaway",
      online: true,
    });
  });

  it("falls back to the job's error text when state.error is empty", () => {
    const printer = printerWithFlags({ operational: false, error: true }, { error: "" });
    const job = jobBody({ file: "a.gcode", error: "MINTEMP triggered" });
    expect(normalizeMachine(reportWith({ printer, job })).errorText).toBe("MINTEMP triggered");
  });

  it("reports offline for closedOrError without error", () => {
    const printer = printerWithFlags({ operational: false, closedOrError: true });
    expect(normalizeMachine(reportWith({ printer })).status).toBe("offline");
  });

  it("reports chamber when OctoPrint sends it and skips unknown sensors", () => {
    const printer = printerFixture() as Loose;
    printer.temperature.chamber = { actual: 31.5, target: 40 };
    printer.temperature.custom_probe = { actual: 1, target: null };
    const m = normalizeMachine(reportWith({ printer }));
    expect(Object.keys(m.temperatures).sort()).toEqual(["bed", "chamber", "tool0", "tool1"]);
    expect(m.temperatures.chamber).toEqual({ actual: 31.5, target: 40 });
  });

  it("treats a printer body without state as unknown", () => {
    const m = normalizeMachine(reportWith({ printer: { temperature: {} } }));
    expect(m).toMatchObject({
      status: "offline",
      online: false,
      error: MACHINE_ERRORS.stateMissing,
    });
  });
});

describe("normalizeMachine when OctoPrint does not give the state", () => {
  it("unreachable host → offline, not online, agent's error text kept", () => {
    const m = normalizeMachine(
      machineReport({ reachable: false, error: "ETIMEDOUT", octoprint: null }),
    );
    expect(m).toMatchObject({
      status: "offline",
      online: false,
      reachable: false,
      error: "ETIMEDOUT",
      job: null,
      temperatures: {},
      octoprintVersion: null,
    });
  });

  it("unreachable without a text → host_unreachable", () => {
    expect(normalizeMachine(machineReport({ reachable: false, octoprint: null })).error).toBe(
      MACHINE_ERRORS.unreachable,
    );
  });

  it.each([401, 403])("%i → auth error, reachable, state unknown", (http) => {
    const m = normalizeMachine(reportWith({ http, printer: null, job: null }));
    expect(m).toMatchObject({
      reachable: true,
      online: false,
      status: "offline",
      error: "octoprint_auth_failed",
      job: null,
    });
  });

  it("409 → printer_not_operational, offline, but online (OctoPrint answered)", () => {
    const job = jobBody({ state: "Offline" });
    const m = normalizeMachine(reportWith({ http: 409, printer: null, job }));
    expect(m).toMatchObject({
      status: "offline",
      online: true,
      error: MACHINE_ERRORS.notOperational,
      job: null,
      errorText: null,
    });
  });

  it("409 with an error in /api/job → error (OctoPrint answers 409 in its error states)", () => {
    const job = jobBody({
      file: "a.gcode",
      completion: 42,
      state: "Error",
      error: "Heating failed",
    });
    const m = normalizeMachine(reportWith({ http: 409, printer: null, job }));
    expect(m).toMatchObject({ status: "error", errorText: "Heating failed", online: true });
    expect(m.job?.progress).toBe(42);
  });

  it("other HTTP statuses → unknown with the status in the error", () => {
    expect(normalizeMachine(reportWith({ http: 500, printer: null })).error).toBe(
      "octoprint_http_500",
    );
    expect(normalizeMachine(reportWith({ http: null, printer: null })).error).toBe(
      "octoprint_http_none",
    );
  });

  it("reachable without an octoprint part → unknown", () => {
    expect(normalizeMachine(machineReport({ octoprint: null }))).toMatchObject({
      online: false,
      error: MACHINE_ERRORS.noData,
    });
  });
});

describe("normalizeJob", () => {
  const parse = (body: unknown) => normalizeJob(jobResponseSchema.parse(body));

  it("returns null when nothing is selected", () => {
    expect(parse(jobBody({}))).toBeNull();
  });

  it("clamps completion to 0..100 and rounds times to whole seconds", () => {
    expect(
      parse(jobBody({ file: "a.gcode", completion: 100.0001, printTime: 12.6 })),
    ).toMatchObject({
      progress: 100,
      printTimeS: 13,
    });
    expect(parse(jobBody({ file: "a.gcode", completion: -1 }))?.progress).toBe(0);
  });

  it("keeps the file of a cancelled job with null progress", () => {
    expect(parse(jobBody({ file: "a.gcode" }))).toEqual({
      fileName: "a.gcode",
      progress: null,
      printTimeS: null,
      printTimeLeftS: null,
      estimatedPrintTimeS: null,
    });
  });

  it("uses path when name is missing", () => {
    const body = jobFixture() as Loose;
    body.job.file = { path: "folder/x.gcode", origin: "local" };
    expect(parse(body)?.fileName).toBe("folder/x.gcode");
  });
});
