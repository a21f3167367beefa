// The farm runs itself: auto-start, waiting reasons, beds and the worklist, transfers that go
// unanswered, and two API instances racing for one printer.
import { commands, jobs, printers, tasks } from "@apf/db";
import { recordJobEnds } from "@apf/db/queries/ingest";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { channelOpen, control, sendResult } from "../control/helpers.ts";
import { twoInstances } from "../public/helpers.ts";
import { createTestServices, type TestClock, type TestServices } from "../support/services.ts";
import { agentLoop, enqueue, queueFarm, send, setAutoStart } from "./helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

let services: TestServices;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const jobOf = async (id: string) =>
  (await services.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;
/** Within 2 s of the change, as the contract says. */
const DISPATCH = { timeout: 2000, interval: 20 };

/** Ends a job on the printer as ingest does: the bed needs clearing and a collection task appears. */
async function endJobOnPrinter(organizationId: string, printer: { id: string; name: string }) {
  const now = services.clock.now();
  const [ended] = await services.db
    .insert(jobs)
    .values({ organizationId, status: "completed", printerId: printer.id, fileName: "old.gcode" })
    .returning();
  await services.db.transaction((tx) =>
    recordJobEnds(tx, organizationId, [
      {
        jobId: ended!.id,
        printerId: printer.id,
        status: "completed",
        fileName: "old.gcode",
        failureReason: null,
        at: now,
      },
    ]),
  );
}

describe("auto-start", () => {
  it("gives a ready printer the first queued job that fits, within 2 s of it being queued", async () => {
    const f = await queueFarm(services);
    await setAutoStart(services.db, f.organization.id);
    const agent = agentLoop(app, f.agent.token, () => undefined);
    await channelOpen(services, f.agent.id);
    const petg = (await enqueue(app, f.key, { print_file_id: f.file.id, material_type: "PETG" }))
      .body.data!.id;
    const pla = (await enqueue(app, f.key, { print_file_id: f.file.id, material_type: "pla" })).body
      .data!.id;
    await expect.poll(() => agent.received.map((c) => c.job_id), DISPATCH).toEqual([pla]);
    await agent.stop();
    expect((await jobOf(pla)).status).toBe("processing");
    await expect
      .poll(async () => (await jobOf(petg)).waitingReason, DISPATCH)
      .toBe("no printer with PETG loaded");
  });

  it("waits for the bed to be cleared, and dispatches when the collection task is completed", async () => {
    const f = await queueFarm(services);
    await endJobOnPrinter(f.organization.id, f.printer);
    await setAutoStart(services.db, f.organization.id);
    const agent = agentLoop(app, f.agent.token, () => undefined);
    await channelOpen(services, f.agent.id);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    await expect
      .poll(
        async () =>
          (await send(app, f.key, "GET", `/public/v1/jobs/${id}`)).body.data!.waiting_reason,
        DISPATCH,
      )
      .toBe("waiting for a printer's bed to be cleared");
    expect(agent.received).toEqual([]);

    const list = await send(
      app,
      f.key,
      "GET",
      "/public/v1/worklist?status=pending&task_type=collection",
      undefined,
      "listWorklist",
    );
    expect(list.body.meta).toEqual({ limit: 50, offset: 0, count: 1 });
    const task = list.body.data![0]!;
    expect(task).toMatchObject({
      task_type: "collection",
      status: "pending",
      printer_id: f.printer.id,
    });
    const done = await send(app, f.key, "POST", `/public/v1/worklist/${task.id}/complete`);
    expect(done.body.data).toMatchObject({ status: "completed" });
    await expect.poll(() => agent.received.map((c) => c.job_id), DISPATCH).toEqual([id]);
    await agent.stop();
    const again = await send(app, f.key, "POST", `/public/v1/worklist/${task.id}/complete`);
    expect([again.status, again.body.code]).toEqual([409, "CONFLICT"]);
  });

  it("dispatches from its sweep when a printer was made ready by a write outside the API", async () => {
    const f = await queueFarm(services);
    await endJobOnPrinter(f.organization.id, f.printer);
    await setAutoStart(services.db, f.organization.id);
    const agent = agentLoop(app, f.agent.token, () => undefined);
    await channelOpen(services, f.agent.id);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    await services.dispatcher.runOnce();
    expect(agent.received).toEqual([]);
    // No wake: nothing of the API saw this write (a script, psql, another product).
    await services.db
      .update(printers)
      .set({ bedClearedAt: services.clock.now() })
      .where(eq(printers.id, f.printer.id));
    await services.dispatcher.runOnce();
    await expect.poll(() => agent.received.map((c) => c.job_id), DISPATCH).toEqual([id]);
    await agent.stop();
  });

  it("clear_bed completes the printer's collection task", async () => {
    const f = await queueFarm(services);
    await endJobOnPrinter(f.organization.id, f.printer);
    const res = await control(app, f.key, f.printer.id, "clear_bed");
    expect(res.status).toBe(200);
    const [task] = await services.db.select().from(tasks).where(eq(tasks.printerId, f.printer.id));
    expect(task).toMatchObject({ status: "completed" });
  });

  it("keeps a job assigned to a busy printer waiting and says why", async () => {
    const f = await queueFarm(services);
    await services.db
      .update(printers)
      .set({ status: "printing" })
      .where(eq(printers.id, f.printer.id));
    await setAutoStart(services.db, f.organization.id);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: f.printer.id }))
      .body.data!.id;
    await expect
      .poll(async () => (await jobOf(id)).waitingReason, DISPATCH)
      .toBe("assigned printer MK4S #1 is printing");
  });

  it("starts nothing while auto_start is off", async () => {
    const f = await queueFarm(services);
    const agent = agentLoop(app, f.agent.token, () => undefined);
    await channelOpen(services, f.agent.id);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    await services.dispatcher.runOnce();
    await agent.stop();
    expect(agent.received).toEqual([]);
    expect((await jobOf(id)).status).toBe("queued");
  });
});

describe("transfers", () => {
  async function dispatched() {
    const f = await queueFarm(services);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: f.printer.id }))
      .body.data!.id as string;
    const agent = agentLoop(app, f.agent.token, () => undefined);
    await channelOpen(services, f.agent.id);
    const started = await send(
      app,
      f.key,
      "POST",
      `/public/v1/jobs/${id}/start`,
      undefined,
      "startJob",
    );
    await agent.stop();
    expect(started.status).toBe(200);
    return { f, id, commandId: started.body.data!.command_id };
  }

  it("records transfer progress while the command is carried out, and refuses it afterwards", async () => {
    const { f, commandId } = await dispatched();
    const other = await queueFarm(services);
    const progress = (token: string, body: unknown) =>
      app.request(`/agent/v1/commands/${commandId}/progress`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const ok = await progress(f.agent.token, { stage: "downloading", percent: 40 });
    expect(ok.status).toBe(200);
    const [row] = await services.db.select().from(commands).where(eq(commands.id, commandId));
    expect(row).toMatchObject({ transferStage: "downloading", transferPercent: 40 });
    expect((await progress(other.agent.token, { stage: "uploading", percent: 1 })).status).toBe(
      404,
    );
    const bad = await progress(f.agent.token, { stage: "uploading", percent: 101 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("percent");
    await sendResult(app, f.agent.token, commandId, { ok: true, octoprint_status: 201 });
    expect((await progress(f.agent.token, { stage: "uploading", percent: 100 })).status).toBe(409);
  });

  it("fails an unanswered print command with NO_RESULT after 5 minutes, and a late ok still counts", async () => {
    const { f, id, commandId } = await dispatched();
    const clock = services.clock as TestClock;
    clock.advance(4 * 60_000);
    await services.dispatcher.runOnce();
    expect((await jobOf(id)).status).toBe("processing");
    clock.advance(60_000 + 1);
    await services.dispatcher.runOnce();
    const [command] = await services.db.select().from(commands).where(eq(commands.id, commandId));
    expect(command).toMatchObject({ status: "failed", error: "NO_RESULT" });
    expect(await jobOf(id)).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "NO_RESULT",
    });

    const late = await sendResult(app, f.agent.token, commandId, {
      ok: true,
      octoprint_status: 201,
    });
    expect(late.body.data).toEqual({ id: commandId, status: "acknowledged" });
    expect(await jobOf(id)).toMatchObject({
      status: "uploaded",
      printerId: f.printer.id,
      queuePosition: null,
    });
  });

  it("a late ok does not take back a job that was started elsewhere", async () => {
    const { f, id, commandId } = await dispatched();
    (services.clock as TestClock).advance(5 * 60_000 + 1);
    await services.dispatcher.runOnce();
    await services.db
      .update(jobs)
      .set({ status: "printing", commandId: null })
      .where(and(eq(jobs.id, id), eq(jobs.status, "queued")));
    await sendResult(app, f.agent.token, commandId, { ok: true, octoprint_status: 201 });
    expect((await jobOf(id)).status).toBe("printing");
  });
});

describe("two API instances on one database", () => {
  it("race to dispatch one printer: exactly one print command, one job on it", async () => {
    const pair = await twoInstances();
    try {
      const f = await queueFarm(pair.one);
      await setAutoStart(pair.one.db, f.organization.id);
      // The agent polls the second instance; jobs are queued on the first.
      const agent = agentLoop(pair.appTwo, f.agent.token, () => undefined);
      await channelOpen(pair.one, f.agent.id);
      for (let i = 0; i < 5; i++) await enqueue(pair.appOne, f.key, { print_file_id: f.file.id });
      await Promise.all([
        pair.one.dispatcher.runOnce(),
        pair.two.dispatcher.runOnce(),
        pair.one.dispatcher.runOnce(),
        pair.two.dispatcher.runOnce(),
      ]);
      await expect.poll(() => agent.received.length, DISPATCH).toBe(1);
      await agent.stop();
      const prints = await pair.one.db
        .select()
        .from(commands)
        .where(and(eq(commands.printerId, f.printer.id), eq(commands.action, "print")));
      expect(prints).toHaveLength(1);
      const onPrinter = await pair.one.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.printerId, f.printer.id), eq(jobs.status, "processing")));
      expect(onPrinter).toHaveLength(1);
    } finally {
      await pair.close();
    }
  });
});
