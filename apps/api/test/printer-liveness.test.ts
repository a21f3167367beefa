import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import {
  answer,
  dataOf,
  type Operation,
  call as publicCall,
  publicTestServices,
} from "./public/helpers.ts";
import { type DashboardOperation, dataOf as dashboardDataOf } from "./support/dashboard-answers.ts";
import { createPrinter, createTeam, call as dashboardCall } from "./support/dashboard-factories.ts";
import { createApiKey } from "./support/factories.ts";
import { createJob } from "./support/public-factories.ts";
import type { TestServices } from "./support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const ago = (seconds: number) => new Date(services.clock.now().getTime() - seconds * 1000);

interface Shown {
  name: string;
  status: string;
  online: boolean;
  progress_percentage: number | null;
}

const view = (rows: Shown[]) =>
  Object.fromEntries(
    rows.map((p) => [
      p.name,
      { status: p.status, online: p.online, progress: p.progress_percentage },
    ]),
  );

describe("one liveness rule for the public API and the dashboard", () => {
  it("shows every printer with the same status, online flag and progress on both surfaces", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const { key } = await createApiKey(services.db, org);
    // Fresh but its status is offline (the host is up, the printer is not connected).
    await createPrinter(services.db, org, {
      name: "fresh-offline",
      status: "offline",
      lastSeenAt: ago(1),
    });
    // Stale: the agent went silent in the middle of a print.
    await createPrinter(services.db, org, {
      name: "stale",
      status: "printing",
      progressPercentage: 37,
      lastSeenAt: ago(61),
    });
    await createPrinter(services.db, org, {
      name: "unreachable",
      status: "idle",
      reachable: false,
      lastSeenAt: ago(1),
    });
    await createPrinter(services.db, org, {
      name: "printing",
      status: "printing",
      progressPercentage: 104,
      lastSeenAt: ago(1),
    });

    const pub = await publicCall(app, "/public/v1/printers", { key });
    expect(pub.status).toBe(200);
    const dash = await dashboardCall(app, "GET", `/api/orgs/${org}/printers`, {
      token: team.member.token,
    });
    expect(dash.status).toBe(200);

    const expected = {
      "fresh-offline": { status: "offline", online: false, progress: null },
      stale: { status: "offline", online: false, progress: null },
      unreachable: { status: "idle", online: false, progress: null },
      printing: { status: "printing", online: true, progress: 100 },
    };
    expect(view((await answer(pub, "listPrinters")).data)).toEqual(expected);
    expect(view(dashboardDataOf(dash, "dashboardListPrinters"))).toEqual(expected);
  });

  it("shows progress to 2 decimals on every surface, never OctoPrint's float noise", async () => {
    const team = await createTeam(services);
    const org = team.organization.id;
    const { key } = await createApiKey(services.db, org);
    const noisy = 38.007999999999996;
    const job = await createJob(services.db, org, {
      status: "printing",
      progressPercentage: noisy,
    });
    const printer = await createPrinter(services.db, org, {
      name: "noisy",
      status: "printing",
      progressPercentage: noisy,
      currentJobId: job.id,
      lastSeenAt: ago(1),
    });
    const read = async <O extends Operation>(path: string, operation: O) =>
      dataOf(await publicCall(app, path, { key }), operation);
    const dashboard = async <O extends DashboardOperation>(path: string, operation: O) =>
      dashboardDataOf(
        await dashboardCall(app, "GET", `/api/orgs/${org}${path}`, { token: team.member.token }),
        operation,
      );

    const shown = {
      "public printers": (await read("/public/v1/printers", "listPrinters"))[0]
        ?.progress_percentage,
      "public printer": (await read(`/public/v1/printers/${printer.id}`, "getPrinter"))
        .progress_percentage,
      "public status": (await read(`/public/v1/printers/${printer.id}/status`, "getPrinterStatus"))
        .progress,
      "dashboard printers": (await dashboard("/printers", "dashboardListPrinters"))[0]
        ?.progress_percentage,
      "public jobs": (await read("/public/v1/jobs", "listJobs"))[0]?.progress_percentage,
      "public job": (await read(`/public/v1/jobs/${job.id}`, "getJob")).progress_percentage,
      "dashboard jobs": (await dashboard("/jobs", "dashboardListJobs"))[0]?.progress_percentage,
    };
    expect(shown).toEqual(Object.fromEntries(Object.keys(shown).map((k) => [k, 38.01])));
  });

  it("answers a dashboard PATCH with the printer read through the same rule", async () => {
    const team = await createTeam(services);
    const printer = await createPrinter(services.db, team.organization.id, {
      status: "offline",
      lastSeenAt: ago(1),
    });
    const res = await dashboardCall(
      app,
      "PATCH",
      `/api/orgs/${team.organization.id}/printers/${printer.id}`,
      { token: team.admin.token, body: { location: "Shelf C" } },
    );
    expect(res.status).toBe(200);
    expect(dashboardDataOf(res, "dashboardUpdatePrinter")).toMatchObject({
      location: "Shelf C",
      status: "offline",
      online: false,
    });
  });
});
