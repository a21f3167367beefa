import { jobs, printers } from "@apf/db";
import { CONTROL_ACTIONS } from "@apf/domain";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import {
  dataOf,
  type Operation,
  call as publicCall,
  publicTestServices,
  type Schema,
} from "./public/helpers.ts";
import { dataOf as dashboardDataOf } from "./support/dashboard-answers.ts";
import { createPrinter, createTeam, call as dashboardCall } from "./support/dashboard-factories.ts";
import { createApiKey } from "./support/factories.ts";
import { createJob } from "./support/public-factories.ts";
import { TestClock, type TestServices } from "./support/services.ts";

// One printer driven through every state; every surface that shows it must say the same
// (GET /public/v1/printers, /printers/{id}, /printers/{id}/status, /analytics/printers, /api's
// printers), and the control routes must refuse exactly the actions the printer's
// available_actions leave out.

let services: TestServices;
let app: ReturnType<typeof createApp>;
const clock = new TestClock();

beforeAll(async () => {
  services = await publicTestServices({ clock });
  app = createApp(services);
});
afterAll(() => services.close());

const HEAT = { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } };

/** What each surface says of the printer, in one shape. */
/** What every surface's printer says that these tests compare (the public Printer's fields). */
type Shown = Pick<
  Schema<"Printer">,
  "id" | "status" | "online" | "progress_percentage" | "temperatures" | "available_actions"
>;

interface Said {
  status: string;
  online: boolean;
  progress: number | null;
  nozzle: number | null;
  actions: string[];
}

describe("one reading of a printer on every surface", () => {
  let org: string;
  let key: string;
  let token: string;
  let printerId: string;
  let jobId: string;

  beforeAll(async () => {
    const team = await createTeam(services);
    org = team.organization.id;
    token = team.owner.token;
    ({ key } = await createApiKey(services.db, org, {
      scopes: ["printers:read", "printers:write", "printers:control", "analytics:read"],
    }));
    const printer = await createPrinter(services.db, org, { name: "the one" });
    printerId = printer.id;
    jobId = (await createJob(services.db, org, { printerId, status: "printing" })).id;
  });

  /**
   * The agent's latest report, as ingest stores it, seen now by the services' clock; returns
   * once this instance received Postgres's notification of it (as after a write through the API).
   */
  async function report(fields: Partial<typeof printers.$inferInsert>) {
    const now = services.clock.now();
    await services.db
      .update(printers)
      .set({ lastSeenAt: now, observedAt: now, updatedAt: now, ...fields })
      .where(eq(printers.id, printerId));
    await services.orgChanges.sync();
  }

  async function publicJson<O extends Operation>(path: string, operation: O) {
    const res = await publicCall(app, `/public/v1${path}`, { key });
    expect(res.status, path).toBe(200);
    return dataOf(res, operation);
  }

  /** Every surface, read now; asserts that they agree and returns what they say. */
  async function surfaces(): Promise<Said> {
    const list = await publicJson("/printers", "listPrinters");
    const item = list.find((p) => p.id === printerId)!;
    const detail = await publicJson(`/printers/${printerId}`, "getPrinter");
    const live = await publicJson(`/printers/${printerId}/status`, "getPrinterStatus");
    const dash = await dashboardCall(app, "GET", `/api/orgs/${org}/printers`, { token });
    expect(dash.status).toBe(200);
    const owner = dashboardDataOf(dash, "dashboardListPrinters").find((p) => p.id === printerId)!;

    const said = (p: Shown): Said => ({
      status: p.status,
      online: p.online,
      progress: p.progress_percentage,
      nozzle: p.temperatures.tool0?.actual ?? null,
      actions: p.available_actions,
    });
    const fromList = said(item);
    expect(said(detail), "GET /public/v1/printers/{id}").toEqual(fromList);
    expect(said(owner), "GET /api/orgs/{orgId}/printers").toEqual(fromList);
    expect(
      {
        status: live.status,
        online: fromList.online,
        progress: live.progress,
        nozzle: live.nozzle_temp,
        actions: live.available_actions,
      },
      "GET /public/v1/printers/{id}/status",
    ).toEqual(fromList);
    expect(owner.temperatures).toEqual(item.temperatures);
    // The analytics report reads the view over the facts alone (readPrinterStatusViews).
    const analytics = await publicJson("/analytics/printers", "getPrinterAnalytics");
    const reported = analytics.printers.find((p) => p.printer_id === printerId)!;
    expect(reported.status, "GET /public/v1/analytics/printers").toBe(fromList.status);
    // Filtering the cached list by the status it shows finds the printer.
    const filtered = await publicJson(`/printers?status=${fromList.status}`, "listPrinters");
    expect(filtered.map((p) => p.id)).toContain(printerId);
    return fromList;
  }

  /** Both control routes refuse (409 INVALID_STATE) exactly the actions not offered. */
  async function controlsAgree(offered: string[]) {
    for (const action of CONTROL_ACTIONS) {
      const pub = await publicCall(app, `/public/v1/printers/${printerId}/control`, {
        key,
        json: { action },
      });
      const dash = await dashboardCall(
        app,
        "POST",
        `/api/orgs/${org}/printers/${printerId}/control`,
        {
          token,
          body: { action },
        },
      );
      const refused = !offered.includes(action);
      expect(pub.status === 409, `public ${action}: ${pub.status}`).toBe(refused);
      expect(dash.status === 409, `dashboard ${action}: ${dash.status}`).toBe(refused);
    }
  }

  it("printing: status printing, progress to two decimals, pause and stop", async () => {
    await report({
      status: "printing",
      reachable: true,
      progressPercentage: 38.007999999999996,
      temperatures: HEAT,
      currentJobId: jobId,
    });
    const said = await surfaces();
    expect(said).toEqual({
      status: "printing",
      online: true,
      progress: 38.01,
      nozzle: 214.8,
      actions: ["pause", "stop"],
    });
    await controlsAgree(said.actions);
  });

  it("paused: resume and stop", async () => {
    await report({ status: "paused", progressPercentage: 40 });
    await services.db.update(jobs).set({ status: "paused" }).where(eq(jobs.id, jobId));
    const said = await surfaces();
    expect(said).toMatchObject({ status: "paused", online: true, actions: ["resume", "stop"] });
    await controlsAgree(said.actions);
  });

  it("maintenance while printing: maintenance everywhere, nothing allowed", async () => {
    await report({ status: "printing", progressPercentage: 41 });
    await services.db.update(jobs).set({ status: "printing" }).where(eq(jobs.id, jobId));
    const entered = await publicCall(app, `/public/v1/printers/${printerId}/maintenance`, {
      key,
      method: "PUT",
      json: { in_maintenance: true, maintenance_type: "nozzle" },
    });
    expect(entered.status).toBe(200);
    const said = await surfaces();
    expect(said).toMatchObject({ status: "maintenance", online: true, actions: [] });
    await controlsAgree(said.actions);

    const left = await publicCall(app, `/public/v1/printers/${printerId}/maintenance`, {
      key,
      method: "PUT",
      json: { in_maintenance: false },
    });
    expect(left.status).toBe(200);
    expect(await surfaces()).toMatchObject({ status: "printing", actions: ["pause", "stop"] });
  });

  it("error: status error, nothing allowed", async () => {
    await report({ status: "error", lastError: "thermal runaway" });
    const said = await surfaces();
    expect(said).toMatchObject({ status: "error", actions: [] });
    await controlsAgree(said.actions);
  });

  it("offline by staleness: once the agent is silent past the window, offline and no readings", async () => {
    await report({ status: "printing", progressPercentage: 50, lastError: null });
    expect((await surfaces()).status).toBe("printing");
    clock.advance((services.config.APF_STALE_AFTER_S + 1) * 1000);
    const said = await surfaces();
    expect(said).toEqual({
      status: "offline",
      online: false,
      progress: null,
      nozzle: null,
      actions: [],
    });
    await controlsAgree(said.actions);
  });

  it("host unreachable: a fresh report of an unreachable host reads offline", async () => {
    await report({ status: "offline", reachable: false, lastError: "host_unreachable" });
    const said = await surfaces();
    expect(said).toEqual({
      status: "offline",
      online: false,
      progress: 50,
      nozzle: null,
      actions: [],
    });
    await controlsAgree(said.actions);
  });

  it("idle with its job ended: clear_bed only", async () => {
    await services.db
      .update(jobs)
      .set({ status: "completed", timeCompleted: services.clock.now() })
      .where(eq(jobs.id, jobId));
    await report({
      status: "idle",
      reachable: true,
      progressPercentage: null,
      currentJobId: null,
      lastError: null,
    });
    const said = await surfaces();
    expect(said).toMatchObject({ status: "idle", online: true, actions: ["clear_bed"] });
    await controlsAgree(said.actions);
  });
});
