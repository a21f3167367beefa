// End to end: a key with printers:control pauses, resumes and stops a simulated printer through
// the real apf-agent process, with the control request on one API instance and the agent's
// channel on another (shared Postgres, Redis between them). Real time; about half a minute.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type SimulatedFarm,
  type SimulatedPrinter,
  startSimulatedFarm,
} from "@apf/printers/simulator";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../apps/api/src/app.ts";
import { systemClock } from "../../apps/api/src/context.ts";
import { body, dataOf, failure } from "../../apps/api/test/public/helpers.ts";
import {
  createAgent,
  createApiKey,
  createOrganization,
} from "../../apps/api/test/support/factories.ts";
import { freePort } from "../../apps/api/test/support/private-redis.ts";
import { createTestServices, type TestServices } from "../../apps/api/test/support/services.ts";

vi.setConfig({ testTimeout: 120_000 });

const root = fileURLToPath(new URL("../../", import.meta.url));
const OCTOPRINT_KEY = "FEDCBA9876543210FEDCBA9876543210";

let front: TestServices;
let back: TestServices;
const servers: Server[] = [];
let frontUrl: string;
let farm: SimulatedFarm;
let printer: SimulatedPrinter;
let agentProcess: ChildProcess;
let agentOutput = "";
let controlKey: string;
let readOnlyKey: string;

async function listen(services: TestServices): Promise<string> {
  const port = await freePort();
  servers.push(serve({ fetch: createApp(services).fetch, port, hostname: "127.0.0.1" }) as Server);
  return `http://127.0.0.1:${port}`;
}

/** A /public/v1 request to the front instance; read the answer with dataOf or failure. */
function request(path: string, key: string, init: RequestInit = {}) {
  return fetch(`${frontUrl}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
  });
}

const control = (printerId: string, action: string, key = controlKey) =>
  request(`/public/v1/printers/${printerId}/control`, key, {
    method: "POST",
    body: JSON.stringify({ action }),
  });

/** The first value of `probe` that `accept` takes, read every 200 ms for up to 30 s. */
async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await probe();
        return accept(last);
      },
      { timeout: 30_000, interval: 200, message: "condition not met in 30 s" },
    )
    .toBe(true);
  return last as T;
}

const printerNamed = async (name: string) =>
  (await dataOf(await request("/public/v1/printers", controlKey), "listPrinters")).find(
    (p) => p.name === name,
  );

beforeAll(async () => {
  // Two instances of one deployment: one database, one Redis namespace.
  const redisPrefix = `apf-e2e:${randomBytes(6).toString("hex")}`;
  front = await createTestServices({ clock: systemClock, redisPrefix });
  back = await createTestServices({ clock: systemClock, redisPrefix, database: front.database });
  const { organization } = await createOrganization(front.db);
  controlKey = (
    await createApiKey(front.db, organization.id, {
      scopes: ["printers:read", "jobs:read", "printers:control"],
    })
  ).key;
  readOnlyKey = (await createApiKey(front.db, organization.id, { scopes: ["printers:read"] })).key;
  const agent = await createAgent(front.db, organization.id);
  frontUrl = await listen(front);
  const backUrl = await listen(back);

  farm = await startSimulatedFarm({ count: 1, apiKey: OCTOPRINT_KEY });
  printer = farm.printers[0]!;
  const dir = mkdtempSync(join(tmpdir(), "apf-e2e-control-"));
  writeFileSync(join(dir, "agent-token.txt"), `${agent.token}\n`);
  writeFileSync(join(dir, "octoprint.key"), `${OCTOPRINT_KEY}\n`);
  writeFileSync(
    join(dir, "agent.json"),
    JSON.stringify({
      api_url: backUrl,
      agent_token_file: "agent-token.txt",
      poll_interval_s: 2,
      machines: [
        {
          type: "OCTOPRINT",
          url: printer.url,
          custom_name: "control-printer",
          authentication_file_path: "octoprint.key",
        },
      ],
    }),
  );
  agentProcess = spawn(
    process.execPath,
    ["apps/agent/bin/apf-agent.mjs", "run", "--config", join(dir, "agent.json")],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  agentProcess.stdout!.on("data", (d: Buffer) => {
    agentOutput += d.toString();
  });
  agentProcess.stderr!.on("data", (d: Buffer) => {
    agentOutput += d.toString();
  });
});

afterAll(async () => {
  agentProcess?.kill("SIGKILL");
  for (const s of servers) {
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
  await farm?.close();
  await back?.close();
  await front?.close();
});

describe("control: simulator → apf-agent process → two API instances", () => {
  it("pauses, resumes and stops a printing printer; refuses what does not fit; 503 without the agent", async () => {
    printer.startPrint("control_part.gcode", { durationS: 600, heatS: 1 });
    const printing = await until(
      () => printerNamed("control-printer"),
      (p) => p?.status === "printing" && p.current_job_id !== null,
    );
    const id = printing!.id;

    expect((await control(id, "pause", readOnlyKey)).status).toBe(403);
    expect(printer.jobCommands()).toEqual([]);

    const paused = await control(id, "pause");
    expect(paused.status).toBe(200);
    const pause = await dataOf(paused, "controlPrinter");
    expect(pause).toMatchObject({
      printer_id: id,
      action: "pause",
      status: "acknowledged",
    });
    expect(printer.jobCommands().map((c) => [c.command, c.action, c.status])).toEqual([
      ["pause", "pause", 204],
    ]);
    await until(
      () => printerNamed("control-printer"),
      (p) => p?.status === "paused",
    );
    const command = await request(`/public/v1/commands/${pause.command_id}`, controlKey);
    expect(await dataOf(command, "getCommand")).toMatchObject({
      status: "acknowledged",
      action: "pause",
    });

    expect((await dataOf(await control(id, "resume"), "controlPrinter")).status).toBe(
      "acknowledged",
    );
    await until(
      () => printerNamed("control-printer"),
      (p) => p?.status === "printing",
    );

    const stopped = await control(id, "stop");
    expect(stopped.status).toBe(200);
    expect(await body(stopped)).toMatchObject({ success: true });
    const job = await until(
      async () =>
        dataOf(await request(`/public/v1/jobs/${printing!.current_job_id}`, controlKey), "getJob"),
      (j) => j?.status === "cancelled",
    );
    expect(job.status).toBe("cancelled");
    await until(
      () => printerNamed("control-printer"),
      (p) => p?.status === "idle",
    );

    const idle = await control(id, "pause");
    expect(idle.status).toBe(409);
    expect((await failure(idle)).code).toBe("INVALID_STATE");
    // Each command reached OctoPrint exactly once.
    expect(printer.jobCommands().map((c) => `${c.command}:${c.action}`)).toEqual([
      "pause:pause",
      "pause:resume",
      "cancel:null",
    ]);

    // A new print is reported, then the agent stops: nothing can carry a command any more.
    printer.startPrint("after_stop.gcode", { durationS: 600, heatS: 0 });
    await until(
      () => printerNamed("control-printer"),
      (p) => p?.status === "printing",
    );
    agentProcess.kill("SIGTERM");
    await new Promise((resolve) => agentProcess.once("exit", resolve));
    expect(agentProcess.exitCode).toBe(0);
    const started = Date.now();
    const offline = await control(id, "pause");
    const took = Date.now() - started;
    expect(offline.status).toBe(503);
    expect((await failure(offline)).code).toBe("HUB_OFFLINE");
    expect(took).toBeLessThan(1000);
    expect(printer.jobCommands()).toHaveLength(3);
    expect(agentOutput).not.toContain(OCTOPRINT_KEY);
  });
});
