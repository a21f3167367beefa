import { describe, expect, it } from "vitest";
import {
  CONTROL_ACTIONS,
  type ControlState,
  controlRefusal,
  PRINTER_VIEW_STATUSES,
  type PrinterFacts,
  readPrinter,
} from "../src/index.ts";

const now = new Date("2026-12-07T04:00:00.000Z");
const freshness = { now, staleAfterS: 60 };
const ago = (s: number) => new Date(now.getTime() - s * 1000);

function facts(over: Partial<PrinterFacts> = {}): PrinterFacts {
  return {
    status: "printing",
    inMaintenance: false,
    isActive: true,
    reachable: true,
    lastSeenAt: ago(5),
    progressPercentage: 38.007999999999996,
    printTimeLeftS: 600,
    currentJobId: "job-1",
    temperatures: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1 } },
    ...over,
  };
}

describe("readPrinter", () => {
  it("reads a fresh printing printer: status, online, progress to two decimals, actions", () => {
    expect(readPrinter(facts(), freshness)).toEqual({
      status: "printing",
      fresh: true,
      online: true,
      progressPercentage: 38.01,
      printTimeLeftS: 600,
      temperatures: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: null } },
      hasOpenJob: true,
      availableActions: ["pause", "stop"],
      freshUntil: ago(5).getTime() + 60_000,
    });
  });

  it("puts maintenance over the observed status, and allows nothing then", () => {
    const r = readPrinter(facts({ inMaintenance: true }), freshness);
    expect(r).toMatchObject({ status: "maintenance", online: true, availableActions: [] });
  });

  it("reads a printer offline once its last report is older than the stale window", () => {
    const r = readPrinter(facts({ lastSeenAt: ago(61) }), freshness);
    expect(r).toMatchObject({
      status: "offline",
      fresh: false,
      online: false,
      progressPercentage: null,
      printTimeLeftS: null,
      temperatures: {},
      availableActions: [],
      freshUntil: null,
    });
    // On the window's last instant it is still fresh.
    expect(readPrinter(facts({ lastSeenAt: ago(60) }), freshness).status).toBe("printing");
  });

  it("is not online, shows no temperatures and allows nothing when the host is unreachable", () => {
    const r = readPrinter(facts({ reachable: false, status: "offline" }), freshness);
    expect(r).toMatchObject({ status: "offline", fresh: true, online: false, temperatures: {} });
    expect(r.availableActions).toEqual([]);
  });

  it("clamps progress to 0–100", () => {
    expect(readPrinter(facts({ progressPercentage: 100.4 }), freshness).progressPercentage).toBe(
      100,
    );
    expect(readPrinter(facts({ progressPercentage: -3 }), freshness).progressPercentage).toBe(0);
  });

  it("offers clear_bed on an idle printer only when no job holds it", () => {
    const idle = facts({ status: "idle", currentJobId: null, progressPercentage: null });
    expect(readPrinter(idle, freshness).availableActions).toEqual(["clear_bed"]);
    const held = { ...idle, currentJobId: "job-1" };
    expect(readPrinter(held, freshness).availableActions).toEqual([]);
    expect(readPrinter({ ...idle, isActive: false }, freshness).availableActions).toEqual([]);
  });
});

describe("controlRefusal", () => {
  it("refuses exactly the actions the view does not offer, in every state", () => {
    for (const status of PRINTER_VIEW_STATUSES) {
      for (const isActive of [true, false]) {
        for (const hasOpenJob of [true, false]) {
          const state: ControlState = { status, isActive, hasOpenJob };
          const offered = readPrinter(
            facts({
              status: status === "maintenance" ? "printing" : status,
              inMaintenance: status === "maintenance",
              isActive,
              currentJobId: hasOpenJob ? "job-1" : null,
            }),
            freshness,
          ).availableActions;
          const accepted = CONTROL_ACTIONS.filter((a) => controlRefusal(a, state) === null);
          expect(accepted, JSON.stringify(state)).toEqual(offered);
        }
      }
    }
  });

  it("names the status and what the action needs", () => {
    expect(
      controlRefusal("pause", { status: "maintenance", isActive: true, hasOpenJob: true }),
    ).toBe('Cannot pause a printer that is "maintenance"; "pause" needs "printing".');
  });
});
