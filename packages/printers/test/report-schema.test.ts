import { describe, expect, it } from "vitest";
import {
  agentReportSchema,
  formatZodIssuePath,
  MAX_MACHINES_PER_REPORT,
  MAX_REPORT_BYTES,
  parseAgentReport,
} from "../src/report-schema.ts";
import { jobFixture, printerFixture, versionFixture } from "../src/testing/octoprint-fixtures.ts";
import { replaceLoneSurrogates } from "../src/well-formed-text.ts";
import type { Loose } from "./helpers/loose.ts";

function machine(i: number, overrides: Record<string, unknown> = {}) {
  return {
    machine_id: `machine-${i}`,
    name: `Machine ${i}`,
    type: "OCTOPRINT",
    url: `http://192.168.1.${i % 250}:5000`,
    observed_at: "2026-11-23T10:00:04.120Z",
    reachable: true,
    error: null,
    octoprint: {
      version: versionFixture(),
      printer_http_status: 200,
      printer: printerFixture(),
      job: jobFixture(),
      filament: null,
    },
    ...overrides,
  };
}

function report(machines: unknown[]) {
  return {
    agent: { version: "0.1.0", hostname: "farm-pi" },
    sent_at: "2026-11-23T10:00:05.000Z",
    machines,
  };
}

function pathsOf(body: unknown): string[] {
  const result = parseAgentReport(body);
  return result.success ? [] : result.issues.map((i) => i.path);
}

describe("agent report schema", () => {
  it("accepts the report of agent.md with the docs' OctoPrint bodies", () => {
    const result = parseAgentReport(report([machine(1)]));
    expect(result.success).toBe(true);
  });

  it("accepts the unreachable, 409 and 401/403 shapes of agent.md", () => {
    const body = report([
      machine(1, { reachable: false, error: "connect ECONNREFUSED", octoprint: null }),
      machine(2, {
        octoprint: {
          version: null,
          printer_http_status: 409,
          printer: null,
          job: jobFixture(),
          filament: null,
        },
      }),
      machine(3, {
        octoprint: {
          version: null,
          printer_http_status: 403,
          printer: null,
          job: null,
          filament: null,
        },
      }),
      machine(4, { octoprint: { ...machine(4).octoprint, filament: [{ id: 1, weight: 800 }] } }),
    ]);
    expect(parseAgentReport(body)).toMatchObject({ success: true });
  });

  it("accepts an empty machine list", () => {
    expect(parseAgentReport(report([])).success).toBe(true);
  });

  it("keeps OctoPrint's unknown fields and drops unknown envelope fields", () => {
    const m = machine(1) as Loose;
    m.octoprint.printer.newer_field = 1;
    m.agent_extra = true;
    const parsed = agentReportSchema.parse({ ...report([m]), extra: 1 }) as Loose;
    expect(parsed.machines[0].octoprint.printer.newer_field).toBe(1);
    expect(parsed.machines[0].agent_extra).toBeUndefined();
    expect(parsed.extra).toBeUndefined();
  });

  it("points into the embedded printer body when a reading is malformed", () => {
    const machines = [machine(0), machine(1), machine(2), machine(3)] as Loose[];
    machines[3].octoprint.printer.temperature.tool0.actual = "hot";
    expect(pathsOf(report(machines))).toEqual([
      "machines.3.octoprint.printer.temperature.tool0.actual",
    ]);
  });

  it("points into the embedded job body", () => {
    const m = machine(0) as Loose;
    m.octoprint.job.progress.completion = "23%";
    expect(pathsOf(report([m]))).toEqual(["machines.0.octoprint.job.progress.completion"]);
  });

  it.each([
    ["machine_id", "", "machines.0.machine_id"],
    ["machine_id", "x".repeat(201), "machines.0.machine_id"],
    ["type", "KLIPPER", "machines.0.type"],
    ["observed_at", "yesterday", "machines.0.observed_at"],
    ["reachable", "yes", "machines.0.reachable"],
    ["error", "e".repeat(501), "machines.0.error"],
  ])("rejects %s = %j", (field, value, path) => {
    expect(pathsOf(report([machine(0, { [field]: value })]))).toEqual([path]);
  });

  it("accepts machine_id of 200 characters and error of 500", () => {
    const body = report([machine(0, { machine_id: "x".repeat(200), error: "e".repeat(500) })]);
    expect(parseAgentReport(body).success).toBe(true);
  });

  it("rejects a non-integer printer_http_status", () => {
    const m = machine(0) as Loose;
    m.octoprint.printer_http_status = 200.5;
    expect(pathsOf(report([m]))).toEqual(["machines.0.octoprint.printer_http_status"]);
  });

  it("rejects a bad sent_at and a missing agent hostname", () => {
    const body = { ...report([]), sent_at: "now", agent: { version: "0.1.0" } };
    expect(pathsOf(body).sort()).toEqual(["agent.hostname", "sent_at"]);
  });

  it("rejects a duplicate machine_id at the second occurrence", () => {
    const body = report([machine(1), machine(2), machine(1)]);
    const result = parseAgentReport(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      {
        path: "machines.2.machine_id",
        message: "duplicate machine_id, already at machines.0",
        machineIndex: 2,
      },
    ]);
  });

  it("names the path and the machine of a control character anywhere, and a date before 2000", () => {
    const spoiled = machine(1) as unknown as { octoprint: { version: { text: string } } };
    spoiled.octoprint = structuredClone(spoiled.octoprint);
    spoiled.octoprint.version.text = "OctoPrint\u0000";
    const body = { ...report([machine(0), spoiled]), sent_at: "1999-12-31T23:59:59Z" };
    const result = parseAgentReport(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      { path: "sent_at", message: "must not be before 2000-01-01", machineIndex: null },
      {
        path: "machines.1.octoprint.version.text",
        message: "must not contain control characters",
        machineIndex: 1,
      },
    ]);
  });

  it(`accepts ${MAX_MACHINES_PER_REPORT} machines and rejects one more`, () => {
    const light = (i: number) =>
      machine(i, { reachable: false, error: "timeout", octoprint: null });
    const full = Array.from({ length: MAX_MACHINES_PER_REPORT }, (_, i) => light(i));
    expect(parseAgentReport(report(full)).success).toBe(true);
    expect(pathsOf(report([...full, light(MAX_MACHINES_PER_REPORT)]))).toEqual(["machines"]);
  });

  it("keeps the body limit at 5 MiB", () => {
    expect(MAX_REPORT_BYTES).toBe(5_242_880);
  });
});

describe("formatZodIssuePath", () => {
  it("joins path segments with dots, root is empty", () => {
    expect(formatZodIssuePath({ path: ["machines", 3, "octoprint"] })).toBe("machines.3.octoprint");
    expect(formatZodIssuePath({ path: [] })).toBe("");
  });
});

describe("lone surrogates in a report", () => {
  it("become U+FFFD in values and keys, however deep; proper pairs and clean reports stay as they are", () => {
    const odd: Loose = machine(1, { name: "caf\udce9" });
    odd.octoprint.job.job.file.name = "caf\udce9.gcode";
    odd.octoprint.printer["plugin\ud800"] = { note: "end\udfff", emoji: "🖨️" };
    const body = JSON.parse(JSON.stringify(report([odd, machine(2)])));
    const parsed = parseAgentReport(body);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    const [first, second] = parsed.data.machines as Loose[];
    expect(first.name).toBe("caf\ufffd");
    expect(first.octoprint.job.job.file.name).toBe("caf\ufffd.gcode");
    expect(first.octoprint.printer["plugin\ufffd"]).toEqual({ note: "end\ufffd", emoji: "🖨️" });
    expect(Object.keys(first.octoprint.printer)).not.toContain("plugin\ud800");
    expect(second).toEqual(machine(2));

    const clean = report([machine(3)]);
    expect(replaceLoneSurrogates(clean)).toBe(clean);
    expect(replaceLoneSurrogates("a\ud83d\udda8b")).toBe("a\ud83d\udda8b");
    expect(replaceLoneSurrogates("\udda8\ud83d")).toBe("\ufffd\ufffd");
  });
});
