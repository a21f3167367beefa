import { describe, expect, it } from "vitest";
import {
  COMPLETED_PROGRESS,
  estimatedMinutes,
  FAILURE_REASONS,
  type JobTransition,
  jobStatusToPublic,
  minutesBetween,
  nextJobTransition,
  type OpenJob,
} from "../src/job-lifecycle.ts";
import { normalizeMachine } from "../src/normalize.ts";
import { machineReport, OBSERVED_AT, observed, reportWith } from "./helpers/machines.ts";

const AT = new Date(OBSERVED_AT);
const STARTED = new Date("2026-11-23T09:00:00.000Z");

function closed(t: JobTransition): Extract<JobTransition, { kind: "close" }> {
  if (t.kind !== "close") throw new Error(`expected a close, got ${t.kind}`);
  return t;
}

function openJob(overrides: Partial<OpenJob> = {}): OpenJob {
  return {
    fileName: "cube.gcode",
    status: "printing",
    startedAt: STARTED,
    lastProgress: 40,
    lastPrinterStatus: "printing",
    ...overrides,
  };
}

describe("no open job", () => {
  it.each(["printing", "pausing", "cancelling"] as const)(
    "%s with a file opens a printing job",
    (status) => {
      const t = nextJobTransition(
        null,
        observed(status, { file: "cube.gcode", completion: 3, printTime: 120 }),
      );
      expect(t).toEqual({
        kind: "open",
        job: {
          fileName: "cube.gcode",
          status: "printing",
          progress: 3,
          startedAt: new Date(AT.getTime() - 120_000),
          estimatedPrintTimeS: 3600,
          printTimeS: 120,
        },
      });
    },
  );

  it("paused with a file opens a paused job", () => {
    const t = nextJobTransition(null, observed("paused", { file: "cube.gcode", completion: 50 }));
    expect(t).toMatchObject({ kind: "open", job: { status: "paused", startedAt: AT } });
  });

  it.each(["idle", "error", "offline"] as const)("%s does nothing", (status) => {
    expect(
      nextJobTransition(null, observed(status, { file: "cube.gcode", completion: 100 })),
    ).toEqual({
      kind: "none",
    });
  });

  it("printing without a file name does nothing", () => {
    expect(nextJobTransition(null, observed("printing", { file: null, completion: 5 }))).toEqual({
      kind: "none",
    });
  });

  it("an unknown state does nothing", () => {
    const m = observed("offline", { file: "cube.gcode", completion: 5 }, { online: false });
    expect(nextJobTransition(null, m)).toEqual({ kind: "none" });
  });
});

describe("open job, printer still printing", () => {
  it("updates progress, times and status", () => {
    const t = nextJobTransition(
      openJob(),
      observed("printing", { file: "cube.gcode", completion: 55, printTime: 900 }),
    );
    expect(t).toEqual({
      kind: "update",
      job: {
        status: "printing",
        progress: 55,
        estimatedPrintTimeS: 3600,
        printTimeS: 900,
        printTimeLeftS: null,
      },
    });
  });

  it.each([
    ["paused", "paused"],
    ["pausing", "printing"],
    ["cancelling", "printing"],
  ] as const)("printer %s → job %s", (printer, job) => {
    const t = nextJobTransition(
      openJob(),
      observed(printer, { file: "cube.gcode", completion: 41 }),
    );
    expect(t).toMatchObject({ kind: "update", job: { status: job } });
  });

  it("keeps the last progress when OctoPrint sends none", () => {
    const t = nextJobTransition(
      openJob(),
      observed("printing", { file: "cube.gcode", completion: null }),
    );
    expect(t).toMatchObject({ kind: "update", job: { progress: 40 } });
  });

  it("a tiny progress wobble is not a restart", () => {
    const t = nextJobTransition(
      openJob(),
      observed("printing", { file: "cube.gcode", completion: 39.5 }),
    );
    expect(t.kind).toBe("update");
  });
});

describe("open job replaced by another print", () => {
  it("a different file closes the old one as cancelled 'superseded' and opens the new", () => {
    const t = nextJobTransition(
      openJob(),
      observed("printing", { file: "other.gcode", completion: 2, printTime: 60 }),
    );
    const { close, then } = closed(t);
    expect(close).toEqual({
      status: "cancelled",
      failureReason: FAILURE_REASONS.superseded,
      progress: 40,
      completedAt: AT,
    });
    expect(then).toEqual({
      fileName: "other.gcode",
      status: "printing",
      progress: 2,
      startedAt: new Date(AT.getTime() - 60_000),
      estimatedPrintTimeS: 3600,
      printTimeS: 60,
    });
  });

  it("a different file after the old one reached 99.5 % closes it as completed", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 99.7 }),
      observed("printing", { file: "next.gcode", completion: 1 }),
    );
    expect(closed(t).close).toMatchObject({
      status: "completed",
      failureReason: null,
      progress: 100,
    });
    expect(closed(t).then).toMatchObject({ fileName: "next.gcode" });
  });

  it("the same file starting over (progress drops) is a new job", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 100 }),
      observed("printing", { file: "cube.gcode", completion: 4 }),
    );
    expect(closed(t).close.status).toBe("completed");
    expect(closed(t).then).toMatchObject({ fileName: "cube.gcode", progress: 4 });
  });

  it("the same file restarted mid-way closes the old one as superseded", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 60 }),
      observed("paused", { file: "cube.gcode", completion: 0 }),
    );
    expect(closed(t).close).toMatchObject({ status: "cancelled", failureReason: "superseded" });
    expect(closed(t).then).toMatchObject({ status: "paused" });
  });
});

describe("open job, printer left the printing states", () => {
  it("idle with 100 % for the same file → completed", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 97 }),
      observed("idle", { file: "cube.gcode", completion: 100 }),
    );
    expect(t).toEqual({
      kind: "close",
      close: { status: "completed", failureReason: null, progress: 100, completedAt: AT },
    });
  });

  it(`idle after the last seen progress reached ${COMPLETED_PROGRESS} % → completed`, () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 99.6 }),
      observed("idle", { file: "cube.gcode", completion: null }),
    );
    expect(t).toMatchObject({ kind: "close", close: { status: "completed", progress: 100 } });
  });

  it("idle just below the threshold → cancelled", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 99.4 }),
      observed("idle", { file: "cube.gcode", completion: null }),
    );
    expect(t).toMatchObject({
      kind: "close",
      close: { status: "cancelled", failureReason: null, progress: 99.4 },
    });
  });

  it("idle after cancelling → cancelled, even from a high progress", () => {
    const open = openJob({ lastProgress: 99.8, lastPrinterStatus: "cancelling" });
    const t = nextJobTransition(open, observed("idle", { file: "cube.gcode", completion: null }));
    expect(t).toMatchObject({ kind: "close", close: { status: "cancelled", progress: 99.8 } });
  });

  it("idle with progress reset (OctoPrint after a cancel) → cancelled with the last progress", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 40 }),
      observed("idle", { file: "cube.gcode", completion: null }),
    );
    expect(t).toEqual({
      kind: "close",
      close: { status: "cancelled", failureReason: null, progress: 40, completedAt: AT },
    });
  });

  it("idle with 100 % for another file does not complete the open one", () => {
    const t = nextJobTransition(
      openJob({ lastProgress: 40 }),
      observed("idle", { file: "other.gcode", completion: 100 }),
    );
    expect(t).toMatchObject({ kind: "close", close: { status: "cancelled" } });
  });

  it("idle without any job body → cancelled", () => {
    const t = nextJobTransition(openJob(), observed("idle"));
    expect(t).toMatchObject({ kind: "close", close: { status: "cancelled", progress: 40 } });
  });

  it("error → failed with OctoPrint's error text and the progress at failure", () => {
    const m = observed(
      "error",
      { file: "cube.gcode", completion: 42 },
      { errorText: "Thermal Runaway" },
    );
    expect(nextJobTransition(openJob(), m)).toEqual({
      kind: "close",
      close: { status: "failed", failureReason: "Thermal Runaway", progress: 42, completedAt: AT },
    });
  });

  it("error without text → failed 'printer_error', even at 99.9 %", () => {
    const t = nextJobTransition(openJob({ lastProgress: 99.9 }), observed("error"));
    expect(t).toMatchObject({
      kind: "close",
      close: { status: "failed", failureReason: "printer_error" },
    });
  });

  it("offline (409 / disconnected) mid-print → failed 'printer_disconnected'", () => {
    const t = nextJobTransition(openJob(), observed("offline"));
    expect(t).toEqual({
      kind: "close",
      close: {
        status: "failed",
        failureReason: FAILURE_REASONS.disconnected,
        progress: 40,
        completedAt: AT,
      },
    });
  });

  it("offline right after reaching 99.5 % → completed", () => {
    const t = nextJobTransition(openJob({ lastProgress: 100 }), observed("offline"));
    expect(t).toMatchObject({ kind: "close", close: { status: "completed" } });
  });
});

describe("we do not know → nothing changes", () => {
  it.each([
    [
      "unreachable host",
      machineReport({ reachable: false, error: "ECONNREFUSED", octoprint: null }),
    ],
    ["refused key (401)", reportWith({ http: 401, printer: null, job: null })],
    ["refused key (403)", reportWith({ http: 403, printer: null, job: null })],
    ["OctoPrint error 500", reportWith({ http: 500, printer: null, job: null })],
  ])("%s keeps the open job and opens none", (_why, report) => {
    const m = normalizeMachine(report);
    expect(nextJobTransition(openJob(), m)).toEqual({ kind: "none" });
    expect(nextJobTransition(null, m)).toEqual({ kind: "none" });
  });
});

describe("helpers", () => {
  it("estimatedMinutes rounds seconds to minutes", () => {
    expect(estimatedMinutes(8811)).toBe(147);
    expect(estimatedMinutes(29)).toBe(0);
    expect(estimatedMinutes(null)).toBeNull();
  });

  it("minutesBetween rounds and never goes negative", () => {
    expect(minutesBetween(STARTED, AT)).toBe(60);
    expect(minutesBetween(AT, STARTED)).toBe(0);
  });

  it("jobStatusToPublic passes known statuses and throws on unknown ones", () => {
    expect(jobStatusToPublic("completed")).toBe("completed");
    expect(() => jobStatusToPublic("done")).toThrow(RangeError);
  });
});
