// End to end: simulated OctoPrint hosts → the real apf-agent process → the API on real Postgres →
// /public/v1. Real time, short prints; about half a minute.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { skus } from "@apf/db";
import { revokeAgent } from "@apf/db/queries";
import { type SimulatedFarm, startSimulatedFarm } from "@apf/printers/simulator";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../apps/api/src/app.ts";
import { systemClock } from "../../apps/api/src/context.ts";
import { dataOf, type Operation } from "../../apps/api/test/public/helpers.ts";
import {
  createAgent,
  createApiKey,
  createOrganization,
} from "../../apps/api/test/support/factories.ts";
import { freePort } from "../../apps/api/test/support/private-redis.ts";
import { createTestServices, type TestServices } from "../../apps/api/test/support/services.ts";

vi.setConfig({ testTimeout: 100_000 });

const root = fileURLToPath(new URL("../../", import.meta.url));
const OCTOPRINT_KEY = "0123456789ABCDEF0123456789ABCDEF";

let services: TestServices;
let farm: SimulatedFarm;
let server: Server | null = null;
let agentProcess: ChildProcess;
let agentOutput = "";
let port: number;
let apiKey: string;
let orgId: string;
let agentId: string;
let skuId: string;

function startApi() {
  const app = createApp(services);
  server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }) as Server;
}

async function stopApi() {
  const s = server;
  server = null;
  if (!s) return;
  await new Promise<void>((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}

/** The `data` of a /public/v1 read, typed by its operation as the generated client types say. */
async function api<O extends Operation>(path: string, operation: O) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { Authorization: `Bearer ${apiKey}` },
  });
  expect(res.status).toBe(200);
  return dataOf(res, operation);
}

/** The printer of that name in a list; fails the test when there is none. */
function named<P extends { name: string }>(list: P[], name: string): P {
  const found = list.find((p) => p.name === name);
  expect(found, name).toBeDefined();
  return found!;
}

async function until<T>(
  probe: () => Promise<T>,
  accept: (v: T) => boolean,
  // Generous: on a loaded machine the agent process alone can take half a minute to start.
  timeoutMs = 60_000,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (!accept(value))
        throw new Error(`condition not met; last value: ${JSON.stringify(value)}`);
      return value;
    },
    { timeout: timeoutMs, interval: 250 },
  );
}

/** How many reports the API has accepted so far. */
function acceptedReports(): number {
  return services.logs.entries().filter((e) => e.path === "/agent/v1/reports" && e.status === 202)
    .length;
}

/** User + system CPU seconds the process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function agentLogLines(): Record<string, unknown>[] {
  return agentOutput
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  services = await createTestServices({ clock: systemClock });
  const { organization } = await createOrganization(services.db);
  orgId = organization.id;
  apiKey = (await createApiKey(services.db, orgId)).key;
  const agent = await createAgent(services.db, orgId);
  agentId = agent.id;
  const [sku] = await services.db
    .insert(skus)
    .values({
      organizationId: orgId,
      sku: "E2E-PART",
      productName: "E2E part",
      printFileName: "e2e_part.gcode",
      unitsPerPrint: 3,
    })
    .returning();
  skuId = sku!.id;

  port = await freePort();
  startApi();
  farm = await startSimulatedFarm({ count: 2, apiKey: OCTOPRINT_KEY });

  const dir = mkdtempSync(join(tmpdir(), "apf-e2e-"));
  writeFileSync(join(dir, "agent-token.txt"), `${agent.token}\n`);
  writeFileSync(join(dir, "octoprint.key"), `${OCTOPRINT_KEY}\n`);
  writeFileSync(
    join(dir, "agent.json"),
    JSON.stringify({
      api_url: `http://127.0.0.1:${port}`,
      agent_token_file: "agent-token.txt",
      poll_interval_s: 1,
      machines: farm.printers.map((p, i) => ({
        type: "OCTOPRINT",
        url: p.url,
        custom_name: `e2e-printer-${i + 1}`,
        authentication_file_path: "octoprint.key",
        mes_id: [i + 1],
      })),
    }),
  );
  agentProcess = spawn(
    process.execPath,
    ["apps/agent/bin/apf-agent.mjs", "run", "--config", join(dir, "agent.json")],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    },
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
  await stopApi();
  await farm?.close();
  await services?.close();
});

describe("simulator → apf-agent process → API → /public/v1", () => {
  it("shows the printing printer with its temperatures and progress, and its job", async () => {
    // The print lasts seconds: start it once the agent is up and reporting both printers, so a
    // slow start (a loaded machine) cannot let the whole print pass unseen.
    await until(
      () => api("/public/v1/printers", "listPrinters"),
      (list) => list.filter((p) => p.online).length === 2,
    );
    farm.printers[0]!.startPrint("e2e_part.gcode", { durationS: 8, heatS: 1 });
    const printers = await until(
      () => api("/public/v1/printers", "listPrinters"),
      (list) =>
        list.some(
          (p) =>
            p.name === "e2e-printer-1" &&
            p.status === "printing" &&
            (p.progress_percentage ?? 0) > 0,
        ),
    );
    const printing = named(printers, "e2e-printer-1");
    expect(printing.online).toBe(true);
    expect(printing.source).toMatchObject({ type: "octoprint", agent_id: agentId });
    expect(printing.temperatures.tool0?.actual).toEqual(expect.any(Number));
    expect(printing.temperatures.bed).toBeDefined();
    const idle = named(printers, "e2e-printer-2");
    expect(idle.status).toBe("idle");

    const jobs = await api(`/public/v1/jobs?printer_id=${printing.id}`, "listJobs");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      status: "printing",
      file_name: "e2e_part.gcode",
      product_sku_id: skuId,
    });
    expect(jobs[0]?.progress_percentage).toBeGreaterThan(0);
    expect(printing.current_job_id).toBe(jobs[0]?.id);
  });

  it("completes the job and adds its units to the SKU's stock once", async () => {
    const [completed] = await until(
      () => api("/public/v1/jobs?status=completed", "listJobs"),
      (list) => list.length === 1,
    );
    expect(completed).toMatchObject({ file_name: "e2e_part.gcode", progress_percentage: 100 });
    expect(
      (await api(`/public/v1/inventory/by-sku/${skuId}`, "getInventoryItemBySku")).ready_stock,
    ).toBe(3);
    // More rounds report the finished print again; the stock does not move.
    const reported = acceptedReports();
    await vi.waitFor(() => expect(acceptedReports()).toBeGreaterThanOrEqual(reported + 3), {
      timeout: 60_000,
      interval: 100,
    });
    expect(
      (await api(`/public/v1/inventory/by-sku/${skuId}`, "getInventoryItemBySku")).ready_stock,
    ).toBe(3);
  });

  it("delivers the latest state of every machine after the backend was down for 10 s, without crashing or spinning", async () => {
    await stopApi();
    const cpuBefore = cpuSeconds(agentProcess.pid!);
    farm.printers[1]!.startPrint("after_outage.gcode", { durationS: 600, heatS: 1 });
    await new Promise((r) => setTimeout(r, 10_000));
    const cpuUsed = cpuSeconds(agentProcess.pid!) - cpuBefore;
    expect(agentProcess.exitCode).toBeNull();
    // Polling 2 hosts a second and retrying with backoff costs little; a busy loop costs ~10 s.
    expect(cpuUsed).toBeLessThan(3);

    startApi();
    const printers = await until(
      () => api("/public/v1/printers", "listPrinters"),
      (list) => list.some((p) => p.name === "e2e-printer-2" && p.status === "printing"),
      // The agent's next try comes after its current backoff step (capped at 60 s).
      65_000,
    );
    expect(named(printers, "e2e-printer-1").status).toBe("idle");
    expect(agentLogLines().some((l) => String(l.msg).includes("backend unavailable"))).toBe(true);
    expect(agentProcess.exitCode).toBeNull();
  });

  it("stops with one clear error and exit code 3 once its token is revoked", async () => {
    await revokeAgent(services.db, orgId, agentId, new Date());
    const logsBefore = services.logs.lines.length;
    const agentLinesBefore = agentLogLines().length;
    await expect.poll(() => agentProcess.exitCode, { timeout: 15_000 }).toBe(3);

    const refusals = services.logs
      .entries()
      .slice(logsBefore)
      .filter((e) => String(e.path).startsWith("/agent/v1/") && e.status === 401);
    const errors = agentLogLines()
      .slice(agentLinesBefore)
      .filter((l) => l.code === "TOKEN_REVOKED");
    // The first refusal stops reports and commands alike: no retries, one line.
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.length).toBeLessThanOrEqual(2);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.msg)).toMatch(/revoked this agent's token \(TOKEN_REVOKED\)/);
    expect(agentOutput).toContain("apf-agent: the backend revoked this agent's token");
  });
});
