import { describe, expect, it } from "vitest";
import {
  appKeysAuthResponseSchema,
  appKeysGenerateResponseSchema,
  appKeysKeyResponseSchema,
  appKeysRequestBodySchema,
  connectionResponseSchema,
  jobResponseSchema,
  printerResponseSchema,
  serverResponseSchema,
  versionResponseSchema,
} from "../src/octoprint/schemas.ts";
import {
  fixture,
  fixtureNames,
  jobFixture,
  printerFixture,
} from "../src/testing/octoprint-fixtures.ts";
import type { Loose } from "./helpers/loose.ts";

const schemaFor: Record<string, { safeParse: (v: unknown) => { success: boolean } } | null> = {
  "version.get.response.json": versionResponseSchema,
  "server.get.response.json": serverResponseSchema,
  "connection.get.response.json": connectionResponseSchema,
  "printer.get.history-limit2.response.json": printerResponseSchema,
  "job.get.response.json": jobResponseSchema,
  "appkeys.post.generate.response.json": appKeysGenerateResponseSchema,
  // GET /api/printer/sd and GET /api/files are not read by the agent; no schema of ours applies
  "printer.sd.get.response.json": null,
  "files.get.response.json": null,
};

describe("OctoPrint schemas against the documentation's examples", () => {
  it("has a decision for every fixture file", () => {
    expect(fixtureNames().sort()).toEqual(Object.keys(schemaFor).sort());
  });

  for (const name of fixtureNames()) {
    const schema = schemaFor[name];
    if (!schema) continue;
    it(`parses ${name}`, () => {
      expect(schema.safeParse(fixture(name)).success).toBe(true);
    });
  }

  it("keeps unknown fields of the printer body (passthrough)", () => {
    const body = printerFixture() as Loose;
    body.plugin_field = { x: 1 };
    body.state.flags.someNewFlag = true;
    const parsed = printerResponseSchema.parse(body) as Loose;
    expect(parsed.plugin_field).toEqual({ x: 1 });
    expect(parsed.state.flags.someNewFlag).toBe(true);
    expect(parsed.temperature.history).toHaveLength(2);
  });
});

describe("printer body tolerance", () => {
  it("accepts null targets and extra tools", () => {
    const body = printerFixture() as Loose;
    body.temperature.tool0.target = null;
    body.temperature.tool3 = { actual: 30, target: null };
    body.temperature.chamber = { actual: null, target: null };
    expect(printerResponseSchema.safeParse(body).success).toBe(true);
  });

  it("accepts newer flags and unknown state texts", () => {
    const body = printerFixture() as Loose;
    body.state.text = "Offline after error: something odd";
    body.state.flags.resuming = false;
    body.state.flags.finishing = true;
    body.state.error = "";
    expect(printerResponseSchema.safeParse(body).success).toBe(true);
  });

  it("accepts missing optional parts (?exclude=temperature,sd,state)", () => {
    expect(printerResponseSchema.safeParse({}).success).toBe(true);
    expect(printerResponseSchema.safeParse({ state: { text: "x", flags: {} } }).success).toBe(true);
  });

  it("rejects a heater reading that is not a number, with the heater's path", () => {
    const body = printerFixture() as Loose;
    body.temperature.tool1.actual = "25.3";
    const result = printerResponseSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["temperature", "tool1", "actual"]);
  });

  it("ignores non-heater keys of temperature it does not know", () => {
    const body = printerFixture() as Loose;
    body.temperature.some_plugin_sensor = "n/a";
    expect(printerResponseSchema.safeParse(body).success).toBe(true);
  });

  it("rejects flags that are not booleans", () => {
    const body = printerFixture() as Loose;
    body.state.flags.printing = "yes";
    expect(printerResponseSchema.safeParse(body).success).toBe(false);
  });
});

describe("job body tolerance", () => {
  it("accepts a job with no file selected (all nulls)", () => {
    const body = {
      job: {
        file: { name: null, path: null, display: null, origin: null, size: null, date: null },
        estimatedPrintTime: null,
        filament: null,
      },
      progress: { completion: null, filepos: null, printTime: null, printTimeLeft: null },
      state: "Operational",
    };
    expect(jobResponseSchema.safeParse(body).success).toBe(true);
  });

  it("accepts per-tool filament, printTimeLeftOrigin and an error text", () => {
    const body = jobFixture() as Loose;
    body.job.filament = { tool0: { length: 810, volume: 5.36 }, tool1: null };
    body.progress.printTimeLeftOrigin = "estimate";
    body.state = "Offline after error";
    body.error = "Thermal Runaway";
    expect(jobResponseSchema.safeParse(body).success).toBe(true);
  });

  it("requires state to be a string", () => {
    const body = jobFixture() as Loose;
    body.state = { text: "Printing" };
    expect(jobResponseSchema.safeParse(body).success).toBe(false);
  });
});

describe("Application Keys shapes", () => {
  it("parses the request, authorisation and key bodies of the docs", () => {
    expect(appKeysRequestBodySchema.safeParse({ app: "APF agent" }).success).toBe(true);
    expect(appKeysRequestBodySchema.safeParse({ app: "APF agent", user: "me" }).success).toBe(true);
    expect(appKeysRequestBodySchema.safeParse({ user: "me" }).success).toBe(false);
    expect(appKeysAuthResponseSchema.safeParse({ app_token: "abc" }).success).toBe(true);
    expect(
      appKeysAuthResponseSchema.safeParse({ app_token: "abc", auth_dialog: "http://x/auth" })
        .success,
    ).toBe(true);
    expect(appKeysKeyResponseSchema.safeParse({ api_key: "" }).success).toBe(false);
    expect(appKeysKeyResponseSchema.safeParse({ api_key: "abcdef1234567890" }).success).toBe(true);
  });
});
