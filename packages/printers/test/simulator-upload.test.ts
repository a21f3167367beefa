import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { jobResponseSchema } from "../src/octoprint/schemas.ts";
import {
  type SimulatedPrinter,
  slicerPrintSeconds,
  startSimulatedFarm,
  TRANSIENT_MS,
} from "../src/simulator/index.ts";
import { realAnswer } from "../src/testing/octoprint-fixtures.ts";
import { farmPerTest } from "./helpers/farm-per-test.ts";
import type { Loose } from "./helpers/loose.ts";

const KEY = "SIMKEY-0123456789";
const sim = farmPerTest({ count: 1, apiKey: KEY, uploads: { timeScale: 0.01 } });

const PRUSA_FILE = "G28\nG1 X10\n; estimated printing time (normal mode) = 1h 2m 3s\n";

async function upload(
  name: string,
  content = PRUSA_FILE,
  fields: Record<string, string> = { path: "apf", select: "true", print: "true" },
  to: SimulatedPrinter = sim.printer,
) {
  const form = new FormData();
  form.append("file", new Blob([content]), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  const res = await fetch(`${to.url}/api/files/local`, {
    method: "POST",
    headers: { "X-Api-Key": KEY },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Loose, headers: res.headers };
}

async function getJson(path: string) {
  const res = await fetch(`${sim.printer.url}${path}`, { headers: { "X-Api-Key": KEY } });
  return { status: res.status, body: (await res.json()) as Loose };
}

/** The keys of a JSON value, recursively: two bodies of the same shape give the same answer. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== "object") return typeof value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
  );
}

describe("POST /api/files/local", () => {
  it("stores the file in apf/, starts it and answers like OctoPrint 1.10.3 did", async () => {
    const answer = await upload("bracket-0a1b2c3d.gcode");
    const real = realAnswer("files_upload_select_print__201");
    expect(answer.status).toBe(real.status);
    expect(shape(answer.body)).toEqual(shape(real.body));
    expect(answer.body).toMatchObject({ done: true, effectivePrint: true, effectiveSelect: true });
    expect(answer.body.files.local.path).toBe("apf/bracket-0a1b2c3d.gcode");
    expect(answer.headers.get("location")).toBe(
      `${sim.printer.url}/api/files/local/apf/bracket-0a1b2c3d.gcode`,
    );
    expect(sim.printer.state()).toBe("Printing");

    const job = jobResponseSchema.parse((await getJson("/api/job")).body);
    expect(job.job.file).toMatchObject({
      name: "bracket-0a1b2c3d.gcode",
      path: "apf/bracket-0a1b2c3d.gcode",
      origin: "local",
      size: PRUSA_FILE.length,
    });
  });

  it("prints for the slicer's estimate times the time scale", async () => {
    await upload("long.gcode");
    // 1h 2m 3s = 3723 s, scaled by 0.01: 37.23 s, after 0.1 s of (scaled) heating.
    const job = jobResponseSchema.parse((await getJson("/api/job")).body);
    expect(job.job.estimatedPrintTime).toBe(37);
    sim.tick(37);
    expect(sim.printer.state()).toBe("Printing");
    sim.tick(0.5 + TRANSIENT_MS.finishing / 1000);
    expect(sim.printer.state()).toBe("Operational");
    expect(jobResponseSchema.parse((await getJson("/api/job")).body).progress.completion).toBe(100);
  });

  it("reads Cura's ;TIME: comment too", async () => {
    await upload("cura.gcode", ";FLAVOR:Marlin\n;TIME:500\nG28\n");
    expect(jobResponseSchema.parse((await getJson("/api/job")).body).job.estimatedPrintTime).toBe(
      5,
    );
  });

  it("stores but does not start a file while printing: 201 with effectivePrint false", async () => {
    sim.printer.startPrint("other.gcode", { durationS: 600 });
    const answer = await upload("second.gcode");
    const real = realAnswer("files_upload_print_while_printing__201_not_started");
    expect(answer.status).toBe(201);
    expect(shape(answer.body)).toEqual(shape(real.body));
    expect(answer.body).toMatchObject({ effectivePrint: false, effectiveSelect: false });
    expect((await getJson("/api/job")).body.job.file.path).toBe("other.gcode");
    expect(sim.printer.files().map((f) => f.path)).toContain("apf/second.gcode");
  });

  it("stores but does not start a file while disconnected", async () => {
    sim.printer.disconnect();
    const answer = await upload("third.gcode");
    expect(answer.status).toBe(
      realAnswer("files_upload_print_when_disconnected__201_not_started").status,
    );
    expect(answer.body.effectivePrint).toBe(false);
    expect(sim.printer.state()).toBe("Offline");
  });

  it("answers 409 only when overwriting the file being printed", async () => {
    await upload("same.gcode");
    const answer = await upload("same.gcode");
    expect(answer).toMatchObject(realAnswer("files_upload_overwrite_file_being_printed__409"));
    // Another name uploads fine while printing (201, not started).
    expect((await upload("different.gcode")).status).toBe(201);
  });

  it("answers 415 for a file OctoPrint cannot print", async () => {
    const answer = await upload("tool.exe", "MZ");
    expect(answer).toMatchObject(realAnswer("files_upload_wrong_extension__415"));
    expect(sim.printer.files()).toEqual([]);
  });

  it("answers 400 without a file part", async () => {
    const form = new FormData();
    form.append("path", "apf");
    const res = await fetch(`${sim.printer.url}/api/files/local`, {
      method: "POST",
      headers: { "X-Api-Key": KEY },
      body: form,
    });
    expect({ status: res.status, body: await res.json() }).toEqual(
      realAnswer("files_upload_no_file__400"),
    );
  });

  it("answers 411 with an HTML page to a body of unknown length", async () => {
    const url = new URL(`${sim.printer.url}/api/files/local`);
    const answer = await new Promise<{ status: number; type: string; text: string }>(
      (resolve, reject) => {
        const req = request(
          url,
          {
            method: "POST",
            headers: {
              "X-Api-Key": KEY,
              "Content-Type": "multipart/form-data; boundary=x",
              "Transfer-Encoding": "chunked",
            },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk) => {
              text += chunk;
            });
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                type: res.headers["content-type"] ?? "",
                text,
              }),
            );
          },
        );
        req.on("error", reject);
        req.end("--x--\r\n");
      },
    );
    expect(answer.status).toBe(411);
    expect(answer.type).toMatch(/text\/html/);
    expect(answer.text).toContain("Length Required");
  });

  it("refuses a wrong key before reading the upload", async () => {
    const res = await fetch(`${sim.printer.url}/api/files/local`, {
      method: "POST",
      body: new FormData(),
    });
    expect(res.status).toBe(403);
  });

  it("lists uploaded files under their folder, as GET /api/files does", async () => {
    await upload("a.gcode", "G28\n", { path: "apf" });
    const list = (await getJson("/api/files")).body;
    const folder = list.files.find((f: Loose) => f.type === "folder");
    expect(folder).toMatchObject({ name: "apf", path: "apf" });
    expect(folder.children.map((c: Loose) => c.path)).toEqual(["apf/a.gcode"]);
    const real = realAnswer("files_get_apf_file__200");
    const info = await getJson("/api/files/local/apf/a.gcode");
    expect(info.status).toBe(200);
    expect(Object.keys(info.body).sort()).toEqual(Object.keys(real.body).sort());
    expect((await getJson("/api/files/local/apf/missing.gcode")).status).toBe(404);
  });

  it("selects without printing when only select is asked", async () => {
    const answer = await upload("sel.gcode", "G28\n", { path: "apf", select: "true" });
    expect(answer.body).toMatchObject({ effectiveSelect: true, effectivePrint: false });
    expect(sim.printer.state()).toBe("Operational");
    const job = (await getJson("/api/job")).body;
    expect(job.job.file.path).toBe("apf/sel.gcode");
    expect(job.progress.completion).toBeNull();
  });
});

describe("upload storage", () => {
  it("keeps at most maxFiles files, dropping the oldest first", async () => {
    const small = await startSimulatedFarm({
      count: 1,
      apiKey: KEY,
      now: sim.now,
      uploads: { maxFiles: 2 },
    });
    try {
      const printer = small.printers[0] as SimulatedPrinter;
      for (const name of ["one.gcode", "two.gcode", "three.gcode"]) {
        expect((await upload(name, "G28\n", { path: "apf" }, printer)).status).toBe(201);
      }
      expect(printer.files().map((f) => f.name)).toEqual(["two.gcode", "three.gcode"]);
    } finally {
      await small.close();
    }
  });
});

describe("startIdle", () => {
  it("starts idle and never prints by itself, even with an autoPrint plan", async () => {
    const idle = await startSimulatedFarm({
      count: 2,
      apiKey: KEY,
      now: sim.now,
      startIdle: true,
      autoPrint: { files: ["a.gcode"], durationS: 10, idleS: 1, heatS: 1 },
    });
    try {
      for (let i = 0; i < 30; i += 1) {
        sim.tick(1);
        for (const x of idle.printers) expect(x.state()).toBe("Operational");
      }
    } finally {
      await idle.close();
    }
  });
});

describe("slicerPrintSeconds", () => {
  it.each([
    ["; estimated printing time (normal mode) = 1h 2m 3s", 3723],
    ["; estimated printing time (normal mode) = 1d 0h 0m 5s", 86_405],
    ["; estimated printing time (normal mode) = 45s", 45],
    [";TIME:6234", 6234],
    [";TIME:12.6", 13],
    ["G28\n; no estimate here", null],
  ])("reads %j as %j", (text, seconds) => {
    expect(slicerPrintSeconds(`G28\n${text}\nG1 X1\n`)).toBe(seconds);
  });
});
