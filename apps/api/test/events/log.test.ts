import { events } from "@apf/db";
import { insertCommand } from "@apf/db/queries/commands";
import { listEvents } from "@apf/db/queries/events";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { machine, postReport, report } from "../agent/report-builder.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createPrinter } from "../support/public-factories.ts";
import { createTestServices, type TestClock, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let token: string;

beforeAll(async () => {
  services = await createTestServices({ events: { sweepMs: 3_600_000 } });
  app = createApp(services);
});
afterAll(() => services.close());
beforeEach(async () => {
  const { organization } = await createOrganization(services.db);
  orgId = organization.id;
  token = (await createAgent(services.db, orgId)).token;
});

const clock = () => services.clock as TestClock;
/** One second later than the last report (the clock moves with the reports). */
const next = () => {
  clock().advance(1000);
  return clock().now();
};

async function send(machines: unknown[]) {
  const res = await postReport(app, token, report(machines));
  expect(res.status).toBe(202);
}

/** The organization's events once numbered, oldest first. */
async function logged() {
  await services.events.relay.runOnce();
  return listEvents(services.db, orgId, { after: 0, limit: 100 });
}

describe("the event log, written by agents' reports", () => {
  it("records status changes, job starts, progress by tenths and ends, not temperatures", async () => {
    await send([machine({ observedAt: next() })]);
    await send([machine({ observedAt: next() })]);
    expect((await logged()).map((e) => e.type)).toEqual(["agent.connected"]);

    await send([
      machine({ observedAt: next(), flags: { printing: true }, file: "a.gcode", completion: 3 }),
    ]);
    await send([
      machine({ observedAt: next(), flags: { printing: true }, file: "a.gcode", completion: 5 }),
    ]);
    await send([
      machine({ observedAt: next(), flags: { printing: true }, file: "a.gcode", completion: 12 }),
    ]);
    await send([
      machine({ observedAt: next(), flags: { printing: true }, file: "a.gcode", completion: 14 }),
    ]);
    await send([machine({ observedAt: next(), file: "a.gcode", completion: 100 })]);

    const log = await logged();
    expect(log.map((e) => [e.sequence, e.type])).toEqual([
      [1, "agent.connected"],
      [2, "printer.status_changed"],
      [3, "job.started"],
      [4, "job.progress"],
      [5, "printer.status_changed"],
      [6, "job.completed"],
      [7, "worklist.task_created"],
    ]);
    const [, started, , progress, idle, completed] = log;
    expect(started!.data).toMatchObject({ status: "printing", previous_status: "idle" });
    expect(progress!.data).toMatchObject({ status: "printing", progress_percentage: 12 });
    expect(idle!.data).toMatchObject({ status: "idle", previous_status: "printing" });
    expect(completed!.data).toMatchObject({ status: "completed", file_name: "a.gcode" });
  });

  it("writes printer.updated for changed readings at most once per printer per 5 s", async () => {
    await send([machine({ observedAt: next() })]);
    for (let p = 1; p <= 11; p++) {
      await send([
        machine({ observedAt: next(), flags: { printing: true }, file: "a.gcode", completion: p }),
      ]);
    }
    const updates = (await logged()).filter((e) => e.type === "printer.updated");
    expect(
      updates.map((e) => (e.data as { progress_percentage: number }).progress_percentage),
    ).toEqual([6, 11]);
    expect(updates[0]!.data).toMatchObject({ status: "printing", online: true });
  });

  it("announces a silent printer offline once, by the sweep, and its return", async () => {
    await send([machine({ observedAt: next() })]);
    clock().advance((services.config.APF_STALE_AFTER_S + 1) * 1000);
    await services.events.sweepOnce();
    await services.events.sweepOnce();
    await send([machine({ observedAt: next() })]);
    const log = await logged();
    expect(log.map((e) => e.type)).toEqual([
      "agent.connected",
      "printer.status_changed",
      "agent.disconnected",
      "agent.connected",
      "printer.status_changed",
    ]);
    expect(log[1]!.data).toMatchObject({ status: "offline", previous_status: "idle" });
    expect(log[4]!.data).toMatchObject({ status: "idle", previous_status: "offline" });
  });

  it("announces a whole silent farm offline in one sweep, each printer once with its own previous status", async () => {
    const at = next();
    await send([
      machine({ machineId: "printer-a", observedAt: at }),
      machine({
        machineId: "printer-b",
        observedAt: at,
        flags: { printing: true },
        file: "b.gcode",
      }),
      machine({ machineId: "printer-c", observedAt: at }),
    ]);
    const before = (await logged()).length;
    clock().advance((services.config.APF_STALE_AFTER_S + 1) * 1000);
    await services.events.sweepOnce();
    await services.events.sweepOnce();
    const offline = (await logged())
      .slice(before)
      .filter((e) => e.type === "printer.status_changed")
      .map((e) => e.data as { name: string; status: string; previous_status: string })
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(offline).toMatchObject([
      { name: "printer-a", status: "offline", previous_status: "idle" },
      { name: "printer-b", status: "offline", previous_status: "printing" },
      { name: "printer-c", status: "offline", previous_status: "idle" },
    ]);
    expect(offline).toHaveLength(3);
  });

  it("expires a command nobody took, by the sweep, with command.completed", async () => {
    const printer = await createPrinter(services.db, orgId, {});
    const now = clock().now();
    const command = await insertCommand(services.db, {
      organizationId: orgId,
      printerId: printer.id,
      agentId: null,
      machineId: null,
      action: "pause",
      status: "pending",
      requestedByType: "user",
      requestedById: "someone",
      requestedAt: now,
      expiresAt: new Date(now.getTime() - 1000),
    });
    await services.events.sweepOnce();
    const [event] = (await logged()).filter((e) => e.type === "command.completed");
    expect(event?.data).toMatchObject({ id: command.id, status: "expired", action: "pause" });
  });

  it("numbers events per organization in commit order, whatever order they were written in", async () => {
    const other = (await createOrganization(services.db)).organization.id;
    // Written by two transactions; the one that started first commits last.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const insertedFirst = new Promise<void>((r) => {
      written = r;
    });
    const slow = services.db.transaction(async (tx) => {
      await tx.insert(events).values({ organizationId: orgId, type: "job.queued", data: { n: 1 } });
      written();
      await held;
    });
    await insertedFirst;
    await services.db.insert(events).values([
      { organizationId: orgId, type: "job.queued", data: { n: 2 } },
      { organizationId: other, type: "job.queued", data: { n: 3 } },
    ]);
    await services.events.relay.runOnce();
    release();
    await slow;
    await services.events.relay.runOnce();
    const rows = await services.db
      .select({ org: events.organizationId, sequence: events.sequence, data: events.data })
      .from(events)
      .where(eq(events.type, "job.queued"))
      .orderBy(asc(events.position));
    expect(rows.filter((r) => r.org === orgId).map((r) => [r.data.n, r.sequence])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(rows.find((r) => r.org === other)?.sequence).toBe(1);
  });
});
