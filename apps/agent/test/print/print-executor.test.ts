import { readdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { jobResponseSchema } from "@apf/printers";
import {
  type SimulatedFarm,
  type SimulatedPrinter,
  startSimulatedFarm,
} from "@apf/printers/simulator";
import { realAnswer } from "@apf/printers/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "../helpers/http-fake.ts";
import { memoryLogger } from "../helpers/memory-logger.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import {
  executor,
  type FileBackend,
  GCODE,
  JOB_ID,
  machine,
  OCTOPRINT_KEY,
  parseMultipart,
  printCommand,
  sha256,
  startFileBackend,
} from "./print-helpers.ts";

let backend: FileBackend;
let farm: SimulatedFarm | undefined;
let octoprint: FakeServer | undefined;
let cacheDir: string;
const NAME = `bracket-${JOB_ID.slice(0, 8)}.gcode`;

beforeEach(async () => {
  backend = await startFileBackend();
  cacheDir = await tempDir();
});
afterEach(async () => {
  await backend.close();
  await farm?.close();
  await octoprint?.close();
  farm = undefined;
  octoprint = undefined;
});

const noProgress = () => undefined;

/** A fake OctoPrint that answers every upload with one recorded real answer. */
async function replaying(name: string): Promise<FakeServer> {
  const { status, body } = realAnswer(name);
  octoprint = await startFakeServer(() => ({ status, body }));
  return octoprint;
}

describe("print against the simulator", () => {
  it("downloads, uploads into apf/ and starts the print; /api/job shows the file", async () => {
    farm = await startSimulatedFarm({
      count: 1,
      apiKey: OCTOPRINT_KEY,
      uploads: { timeScale: 0.01 },
    });
    const printer = farm.printers[0] as SimulatedPrinter;
    backend.files.set("tok1", GCODE);
    const { logger } = memoryLogger();
    const stages: Array<[string, number]> = [];
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(printer.url),
      (stage, percent) => {
        stages.push([stage, percent]);
        return undefined;
      },
    );
    expect(outcome).toEqual({ ok: true, octoprint_status: 201, error: null });
    expect(printer.state()).toBe("Printing");
    const res = await fetch(`${printer.url}/api/job`, { headers: { "X-Api-Key": OCTOPRINT_KEY } });
    const job = jobResponseSchema.parse(await res.json());
    expect(job.job.file).toMatchObject({ name: NAME, path: `apf/${NAME}`, origin: "local" });
    expect(printer.files().map((f) => f.size)).toEqual([Buffer.byteLength(GCODE)]);
    // Downloading first, then uploading up to 100 %.
    expect(stages[0]).toEqual(["downloading", 0]);
    expect(stages.at(-1)).toEqual(["uploading", 100]);
    const order = stages.map(([stage]) => stage);
    expect(order.indexOf("uploading")).toBeGreaterThan(order.lastIndexOf("downloading"));
  });

  it("fails with OctoPrint's answer when the printer is busy (201, effectivePrint false)", async () => {
    farm = await startSimulatedFarm({ count: 1, apiKey: OCTOPRINT_KEY });
    const printer = farm.printers[0] as SimulatedPrinter;
    printer.startPrint("someone-elses.gcode", { durationS: 600 });
    backend.files.set("tok1", GCODE);
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(printer.url),
      noProgress,
    );
    expect(outcome).toEqual({
      ok: false,
      octoprint_status: 201,
      error: "OctoPrint stored the file but did not start it: printer not ready",
    });
  });
});

describe("OctoPrint's recorded answers", () => {
  it.each([
    [
      "files_upload_print_while_printing__201_not_started",
      201,
      "OctoPrint stored the file but did not start it: printer not ready",
    ],
    [
      "files_upload_print_when_disconnected__201_not_started",
      201,
      "OctoPrint stored the file but did not start it: printer not ready",
    ],
    [
      "files_upload_overwrite_file_being_printed__409",
      409,
      "OctoPrint answered HTTP 409: Trying to overwrite file that is currently being printed",
    ],
    [
      "files_upload_wrong_extension__415",
      415,
      "OctoPrint answered HTTP 415: Could not upload file, invalid type",
    ],
    [
      "files_upload_no_file__400",
      400,
      "OctoPrint answered HTTP 400: No file to upload and no folder to create",
    ],
  ])("%s is a failure with OctoPrint's words and status", async (fixture, status, error) => {
    const fake = await replaying(fixture);
    backend.files.set("tok1", GCODE);
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(fake.url),
      noProgress,
    );
    expect(outcome).toEqual({ ok: false, octoprint_status: status, error });
  });

  it("is ok only for 201 with effectivePrint true", async () => {
    const fake = await replaying("files_upload_select_print__201");
    backend.files.set("tok1", GCODE);
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(fake.url),
      noProgress,
    );
    expect(outcome).toEqual({ ok: true, octoprint_status: 201, error: null });
  });

  it("names the permissions when OctoPrint refuses the key", async () => {
    octoprint = await startFakeServer(() => ({ status: 403, body: { error: "Forbidden" } }));
    backend.files.set("tok1", GCODE);
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(octoprint.url),
      noProgress,
    );
    expect(outcome.octoprint_status).toBe(403);
    expect(outcome.error).toMatch(/file upload and print permissions/);
  });
});

describe("the multipart upload", () => {
  it("has a Content-Length equal to its bytes and the fields OctoPrint needs", async () => {
    const fake = await replaying("files_upload_select_print__201");
    backend.files.set("tok1", GCODE);
    const { logger } = memoryLogger();
    await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(fake.url),
      noProgress,
    );
    const upload = fake.requests.find((r) => r.method === "POST");
    expect(upload?.path).toBe("/api/files/local");
    expect(upload?.headers["x-api-key"]).toBe(OCTOPRINT_KEY);
    expect(upload?.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(upload?.headers["content-length"])).toBe(Buffer.byteLength(upload?.body ?? ""));
    const form = await parseMultipart(upload!);
    expect(form.get("path")).toBe("apf");
    expect(form.get("select")).toBe("true");
    expect(form.get("print")).toBe("true");
    const file = form.get("file") as File;
    expect(file.name).toBe(NAME);
    expect(await file.text()).toBe(GCODE);
  });

  it("fails with a clear message when OctoPrint drops the connection", async () => {
    const dropping = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, "127.0.0.1", () => resolve()));
    try {
      const url = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}`;
      backend.files.set("tok1", GCODE);
      const { logger } = memoryLogger();
      const outcome = await executor(backend.url, cacheDir, logger)(
        printCommand("tok1", GCODE),
        machine(url),
        noProgress,
      );
      expect(outcome.ok).toBe(false);
      expect(outcome.octoprint_status).toBeNull();
      expect(outcome.error).toMatch(/^OctoPrint upload failed: /);
    } finally {
      await new Promise<void>((resolve) => dropping.close(() => resolve()));
    }
  });
});

describe("the download", () => {
  it("fails with CHECKSUM_MISMATCH and uploads nothing when the bytes differ", async () => {
    const fake = await replaying("files_upload_select_print__201");
    const tampered = GCODE.replace("G28", "G29");
    backend.files.set("tok1", tampered);
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(fake.url),
      noProgress,
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^CHECKSUM_MISMATCH: expected SHA-256 /);
    expect(fake.requests).toHaveLength(0);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("fails with CHECKSUM_MISMATCH when the size differs", async () => {
    const fake = await replaying("files_upload_select_print__201");
    backend.files.set("tok1", `${GCODE}M84\n`);
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE),
      machine(fake.url),
      noProgress,
    );
    expect(outcome.error).toMatch(/^CHECKSUM_MISMATCH: expected \d+ bytes, received more/);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [401, "TOKEN_INVALID"],
    [404, "NOT_FOUND"],
  ])("fails on HTTP %i from the backend, naming it", async (status, code) => {
    const fake = await replaying("files_upload_select_print__201");
    const { logger } = memoryLogger();
    const command = printCommand("missing", GCODE);
    const run = executor(backend.url, cacheDir, logger);
    if (status === 401) {
      backend.setHandler(() => ({
        status: 401,
        body: { success: false, code, error: "agent token revoked" },
      }));
    }
    const outcome = await run(command, machine(fake.url), noProgress);
    expect(outcome).toMatchObject({ ok: false, octoprint_status: null });
    expect(outcome.error).toMatch(
      new RegExp(`^DOWNLOAD_FAILED: backend answered HTTP ${status} \\(${code}`),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("skips the download when the file is in the cache", async () => {
    const fake = await replaying("files_upload_select_print__201");
    backend.files.set("tok1", GCODE);
    backend.files.set("tok2", GCODE);
    const { logger } = memoryLogger();
    const run = executor(backend.url, cacheDir, logger);
    const stages: string[] = [];
    expect((await run(printCommand("tok1", GCODE), machine(fake.url), noProgress)).ok).toBe(true);
    expect(
      (
        await run(printCommand("tok2", GCODE), machine(fake.url), (stage) => {
          stages.push(stage);
          return undefined;
        })
      ).ok,
    ).toBe(true);
    expect(backend.downloads()).toBe(1);
    expect(stages).not.toContain("downloading");
    expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    expect(await readdir(cacheDir)).toEqual([`${sha256(GCODE)}.gcode`]);
  });

  it("evicts the least recently used file when the cache is full, and keeps none too large", async () => {
    const fake = await replaying("files_upload_select_print__201");
    const a = `${GCODE};a\n`;
    const b = `${GCODE};b\n`;
    backend.files.set("a", a);
    backend.files.set("b", b);
    const { logger } = memoryLogger();
    // Room for one file: b pushes a out.
    const run = executor(backend.url, cacheDir, logger, Buffer.byteLength(a) + 10);
    await run(printCommand("a", a), machine(fake.url), noProgress);
    await run(printCommand("b", b), machine(fake.url), noProgress);
    await expect.poll(() => readdir(cacheDir)).toEqual([`${sha256(b)}.gcode`]);

    const tinyDir = await tempDir();
    const tiny = executor(backend.url, tinyDir, logger, 100);
    const outcome = await tiny(printCommand("a", a), machine(fake.url), noProgress);
    expect(outcome.ok).toBe(true);
    expect(await readdir(tinyDir)).toEqual([]);
  });
});

describe("a print command that is not well formed", () => {
  it.each([
    [{ sha256: "abc" }, "file.sha256 must be 64 hexadecimal characters"],
    [{ name: "../etc/passwd.gcode" }, "file.name must be one file name without folders"],
    [{ name: "model.stl" }, "file.name must end with .gcode, .gco, .g"],
    [{ size_bytes: -1 }, "file.size_bytes must be a whole number of bytes"],
    [{ url: "https://elsewhere.example/steal" }, "file.url must be on the backend"],
  ])("%j fails naming the field, without any request", async (overrides, message) => {
    const fake = await replaying("files_upload_select_print__201");
    const { logger } = memoryLogger();
    const outcome = await executor(backend.url, cacheDir, logger)(
      printCommand("tok1", GCODE, overrides),
      machine(fake.url),
      noProgress,
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toContain(`invalid print command: ${message}`);
    expect(backend.requests).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
  });
});
