// The print queue through /public/v1: enqueue, edit and move, remove, cancel, retry, start.
import { randomUUID } from "node:crypto";
import { jobs, printers, printFiles } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { channelOpen } from "../control/helpers.ts";
import { createAgent } from "../support/factories.ts";
import { createJob, createPrinter, createSku } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { agentLoop, createPrintFile, enqueue, queueFarm, send } from "./helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

let services: TestServices;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("POST /public/v1/jobs", () => {
  it("queues the file at the bottom of the queue with the queue's fields", async () => {
    const f = await queueFarm(services);
    const first = await enqueue(app, f.key, { print_file_id: f.file.id });
    const second = await enqueue(app, f.key, {
      print_file_id: f.file.id,
      printer_id: f.printer.id,
      material_type: "PLA",
      priority: 50,
    });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      status: "queued",
      print_file_id: f.file.id,
      file_name: "Benchy v2.gcode",
      printer_id: null,
      priority: 50,
      attempts: 0,
      last_error: null,
      position: 1,
      estimated_print_time_minutes: 60,
    });
    expect(second.body.data).toMatchObject({ printer_id: f.printer.id, position: 2 });
  });

  it("answers FILE_NOT_FOUND for an unknown, malformed or another organization's file", async () => {
    const f = await queueFarm(services);
    const other = await queueFarm(services);
    for (const id of [randomUUID(), "nope", other.file.id]) {
      const res = await enqueue(app, f.key, { print_file_id: id });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("FILE_NOT_FOUND");
    }
  });

  // Two sessions at once: Postgres only (PGlite has one connection).
  it.runIf(process.env.APF_TEST_DATABASE_URL)(
    "never leaves a job naming a deleted file: a delete under way makes the enqueue FILE_NOT_FOUND",
    async () => {
      const f = await queueFarm(services);
      let commit!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // A delete of the file that has locked and removed its row, not yet committed.
      const deleting = services.db.transaction(async (tx) => {
        await tx.select().from(printFiles).where(eq(printFiles.id, f.file.id)).for("update");
        await tx.delete(printFiles).where(eq(printFiles.id, f.file.id));
        locked();
        await new Promise<void>((resolve) => {
          commit = resolve;
        });
      });
      await isLocked;
      let answered = false;
      const queued = enqueue(app, f.key, { print_file_id: f.file.id }).finally(() => {
        answered = true;
      });
      // The enqueue waits for the file's row (FOR KEY SHARE) instead of reading the old version.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      commit();
      await deleting;
      const res = await queued;
      expect([res.status, res.body.code]).toEqual([404, "FILE_NOT_FOUND"]);
      const left = await services.db
        .select()
        .from(jobs)
        .where(eq(jobs.organizationId, f.organization.id));
      expect(left).toEqual([]);
    },
  );

  it.runIf(process.env.APF_TEST_DATABASE_URL)(
    "makes a delete racing an enqueue wait, then answer FILE_IN_USE",
    async () => {
      const f = await queueFarm(services);
      let commit!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // An enqueue that holds the file's row and has written its job, not yet committed.
      const enqueuing = services.db.transaction(async (tx) => {
        await tx.select().from(printFiles).where(eq(printFiles.id, f.file.id)).for("key share");
        await tx.insert(jobs).values({
          organizationId: f.organization.id,
          status: "queued",
          printFileId: f.file.id,
          queuePosition: 1,
        });
        locked();
        await new Promise<void>((resolve) => {
          commit = resolve;
        });
      });
      await isLocked;
      const deleted = send(app, f.key, "DELETE", `/public/v1/files/${f.file.id}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      commit();
      await enqueuing;
      const res = await deleted;
      expect([res.status, res.body.code]).toEqual([409, "FILE_IN_USE"]);
      const [file] = await services.db
        .select()
        .from(printFiles)
        .where(eq(printFiles.id, f.file.id));
      expect(file).toBeDefined();
    },
  );

  it("answers PRINTER_NOT_FOUND, SKU_NOT_FOUND and PRINTER_MODEL_MISMATCH, writing nothing", async () => {
    const f = await queueFarm(services);
    const other = await queueFarm(services);
    const printer = await enqueue(app, f.key, {
      print_file_id: f.file.id,
      printer_id: other.printer.id,
    });
    expect([printer.status, printer.body.code]).toEqual([404, "PRINTER_NOT_FOUND"]);
    const sku = await enqueue(app, f.key, {
      print_file_id: f.file.id,
      product_sku_id: (await createSku(services.db, other.organization.id)).id,
    });
    expect([sku.status, sku.body.code]).toEqual([404, "SKU_NOT_FOUND"]);
    const mini = await createPrinter(services.db, f.organization.id, { model: "MINI" });
    const mismatch = await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: mini.id });
    expect([mismatch.status, mismatch.body.code]).toEqual([400, "PRINTER_MODEL_MISMATCH"]);
    expect(mismatch.body.error).toContain("MK4S");
    const rows = await services.db
      .select()
      .from(jobs)
      .where(eq(jobs.organizationId, f.organization.id));
    expect(rows).toEqual([]);
  });

  it("matches models without regard to case, and accepts a printer whose model is unknown", async () => {
    const f = await queueFarm(services);
    const lower = await createPrinter(services.db, f.organization.id, { model: "mk4s" });
    const unknown = await createPrinter(services.db, f.organization.id, { model: null });
    for (const p of [lower, unknown]) {
      const res = await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: p.id });
      expect(res.status).toBe(201);
    }
  });

  it("names the invalid field", async () => {
    const f = await queueFarm(services);
    const res = await enqueue(app, f.key, { print_file_id: f.file.id, priority: 256 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_REQUEST");
    expect(res.body.error).toContain("priority");
  });
});

describe("editing and moving a queued job", () => {
  it("orders GET /jobs?status=queued by priority, then position, and moves jobs", async () => {
    const f = await queueFarm(services);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id);
    }
    const queue = async () =>
      (
        await send(app, f.key, "GET", "/public/v1/jobs?status=queued", undefined, "listJobs")
      ).body.data!.map((j) => [j.id, j.position] as const);
    expect(await queue()).toEqual(ids.map((id, i) => [id, i + 1]));

    const top = await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[3]}`, { position: "top" });
    expect(top.status).toBe(200);
    expect(top.body.data!.position).toBe(1);
    expect((await queue()).map(([id]) => id)).toEqual([ids[3], ids[0], ids[1], ids[2]]);

    await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[3]}`, { position: "bottom" });
    expect((await queue()).map(([id]) => id)).toEqual(ids);

    const third = await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[0]}`, { position: 3 });
    expect(third.body.data!.position).toBe(3);
    expect((await queue()).map(([id]) => id)).toEqual([ids[1], ids[2], ids[0], ids[3]]);

    const urgent = await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[3]}`, { priority: 200 });
    expect(urgent.body.data).toMatchObject({ priority: 200, position: 1 });
  });

  it("numbers every queued job 1…n in queue order through enqueues, moves, priorities, cancels, retries and removals", async () => {
    const f = await queueFarm(services);
    const add = async (priority: number) =>
      (await enqueue(app, f.key, { print_file_id: f.file.id, priority })).body.data!.id;
    const ids: string[] = [];
    for (const priority of [50, 50, 80, 50, 10, 80, 50, 50]) ids.push(await add(priority));
    const check = async () => {
      const list = (
        await send(
          app,
          f.key,
          "GET",
          "/public/v1/jobs?status=queued&limit=100",
          undefined,
          "listJobs",
        )
      ).body.data!;
      // The list's order is the queue's; every job's place (in the list and read alone) is its rank.
      expect(list.map((j) => j.position)).toEqual(list.map((_, i) => i + 1));
      for (const [i, job] of list.entries()) {
        const one = await send(app, f.key, "GET", `/public/v1/jobs/${job.id}`);
        expect([job.id, one.body.data!.position]).toEqual([job.id, i + 1]);
      }
      return list.map((j) => j.id);
    };
    expect(await check()).toEqual([ids[2], ids[5], ids[0], ids[1], ids[3], ids[6], ids[7], ids[4]]);
    await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[7]}`, { position: "top" });
    await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[0]}`, { position: "bottom" });
    await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[6]}`, { position: 2 });
    await send(app, f.key, "PATCH", `/public/v1/jobs/${ids[4]}`, { priority: 90 });
    await send(app, f.key, "POST", `/public/v1/jobs/${ids[1]}/cancel`);
    await send(app, f.key, "DELETE", `/public/v1/jobs/${ids[3]}`);
    ids.push(await add(50));
    await send(app, f.key, "POST", `/public/v1/jobs/${ids[1]}/retry`);
    // Place 2 among all queued jobs puts ids[6] ahead of ids[7] (priority still comes first).
    expect(await check()).toEqual([ids[4], ids[2], ids[5], ids[6], ids[7], ids[0], ids[8], ids[1]]);
  });

  it("assigns and unassigns a printer", async () => {
    const f = await queueFarm(services);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    const assigned = await send(app, f.key, "PATCH", `/public/v1/jobs/${id}`, {
      printer_id: f.printer.id,
    });
    expect(assigned.body.data!.printer_id).toBe(f.printer.id);
    const any = await send(app, f.key, "PATCH", `/public/v1/jobs/${id}`, { printer_id: null });
    expect(any.body.data!.printer_id).toBeNull();
  });

  it("answers JOB_STATE_CHANGED naming the status once the job left the queue, and NOT_FOUND for another organization's job", async () => {
    const f = await queueFarm(services);
    const other = await queueFarm(services);
    const printing = await createJob(services.db, f.organization.id, { status: "printing" });
    const edit = await send(app, f.key, "PATCH", `/public/v1/jobs/${printing.id}`, {
      priority: 1,
    });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe("JOB_STATE_CHANGED");
    expect(edit.body.error).toContain('"printing"');
    const del = await send(app, f.key, "DELETE", `/public/v1/jobs/${printing.id}`);
    expect([del.status, del.body.code]).toEqual([409, "JOB_STATE_CHANGED"]);
    const theirs = (await enqueue(app, other.key, { print_file_id: other.file.id })).body.data!.id;
    for (const [method, path] of [
      ["PATCH", `/public/v1/jobs/${theirs}`],
      ["DELETE", `/public/v1/jobs/${theirs}`],
      ["POST", `/public/v1/jobs/${theirs}/cancel`],
      ["POST", `/public/v1/jobs/${theirs}/retry`],
    ] as const) {
      const res = await send(
        app,
        f.key,
        method,
        path,
        method === "PATCH" ? { priority: 1 } : undefined,
      );
      expect([res.status, res.body.code]).toEqual([404, "NOT_FOUND"]);
    }
  });

  it("removes a queued job", async () => {
    const f = await queueFarm(services);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    const res = await send(app, f.key, "DELETE", `/public/v1/jobs/${id}`);
    expect(res.body).toEqual({ success: true, data: { id, deleted: true } });
    expect((await send(app, f.key, "GET", `/public/v1/jobs/${id}`)).status).toBe(404);
  });
});

describe("cancel and retry", () => {
  it("cancels a queued job, refuses to cancel it twice, and queues it again keeping attempts", async () => {
    const f = await queueFarm(services);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    await services.db.update(jobs).set({ attempts: 2 }).where(eq(jobs.id, id));
    const cancelled = await send(app, f.key, "POST", `/public/v1/jobs/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: "cancelled", position: null });
    const again = await send(app, f.key, "POST", `/public/v1/jobs/${id}/cancel`);
    expect([again.status, again.body.code]).toEqual([409, "JOB_STATE_CHANGED"]);
    expect(again.body.error).toContain('"cancelled"');
    const retried = await send(app, f.key, "POST", `/public/v1/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ status: "queued", attempts: 2, position: 1 });
    const twice = await send(app, f.key, "POST", `/public/v1/jobs/${id}/retry`);
    expect([twice.status, twice.body.code]).toEqual([409, "JOB_STATE_CHANGED"]);
  });

  it("stops the printer of a printing job through its agent", async () => {
    const f = await queueFarm(services);
    await services.db
      .update(printers)
      .set({ status: "printing" })
      .where(eq(printers.id, f.printer.id));
    const job = await createJob(services.db, f.organization.id, {
      status: "printing",
      printerId: f.printer.id,
      printFileId: f.file.id,
    });
    const agent = agentLoop(app, f.agent.token);
    await channelOpen(services, f.agent.id);
    const res = await send(app, f.key, "POST", `/public/v1/jobs/${job.id}/cancel`);
    await agent.stop();
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ job_id: job.id, status: "stopping" });
    expect(agent.received.map((c) => c.action)).toEqual(["stop"]);
  });
});

describe("POST /public/v1/jobs/{id}/start", () => {
  const start = (key: string, id: string) =>
    send(app, key, "POST", `/public/v1/jobs/${id}/start`, undefined, "startJob");

  it("answers AutoPrintFarm's codes in their order", async () => {
    const f = await queueFarm(services);
    expect((await start(f.key, randomUUID())).body.code).toBe("JOB_NOT_FOUND");
    const done = await createJob(services.db, f.organization.id, { status: "completed" });
    const changed = await start(f.key, done.id);
    expect([changed.status, changed.body.code]).toEqual([409, "JOB_STATE_CHANGED"]);
    const unassigned = (await enqueue(app, f.key, { print_file_id: f.file.id })).body.data!.id;
    expect((await start(f.key, unassigned)).body.code).toBe("NO_PRINTER_ASSIGNED");

    const queued = async (printerId: string) =>
      (await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: printerId })).body.data!
        .id;
    const stale = await createPrinter(services.db, f.organization.id, { model: "MK4S" });
    const offline = await start(f.key, await queued(stale.id));
    expect([offline.status, offline.body.code]).toEqual([400, "PRINTER_UNAVAILABLE"]);
    expect(offline.body.error).toContain("offline");

    const now = services.clock.now();
    const dirty = await createPrinter(services.db, f.organization.id, {
      lastSeenAt: now,
      lastJobEndedAt: now,
    });
    const bed = await start(f.key, await queued(dirty.id));
    expect(bed.body.code).toBe("PRINTER_UNAVAILABLE");
    expect(bed.body.error).toContain("bed");

    const swapped = await createPrinter(services.db, f.organization.id, { lastSeenAt: now });
    const swappedJob = await queued(swapped.id);
    await services.db.update(printers).set({ model: "XL" }).where(eq(printers.id, swapped.id));
    expect((await start(f.key, swappedJob)).body.code).toBe("PRINTER_MODEL_MISMATCH");

    const orphan = await createPrinter(services.db, f.organization.id, { lastSeenAt: now });
    const noHub = await start(f.key, await queued(orphan.id));
    expect([noHub.status, noHub.body.code]).toEqual([400, "NO_HUB_ASSIGNED"]);

    const hubOffline = await start(f.key, await queued(f.printer.id));
    expect([hubOffline.status, hubOffline.body.code]).toEqual([503, "HUB_OFFLINE"]);

    const agent = await createAgent(services.db, f.organization.id);
    const fileless = await createPrinter(services.db, f.organization.id, {
      lastSeenAt: now,
      agentId: agent.id,
    });
    const gone = await createPrintFile(services.db, f.organization.id);
    const goneJob = (await enqueue(app, f.key, { print_file_id: gone.id, printer_id: fileless.id }))
      .body.data!.id;
    await services.db.delete(printFiles).where(eq(printFiles.id, gone.id));
    const loop = agentLoop(app, agent.token);
    await channelOpen(services, agent.id);
    const missing = await start(f.key, goneJob);
    await loop.stop();
    expect([missing.status, missing.body.code]).toEqual([404, "FILE_NOT_FOUND"]);
  });

  it("sends the print command with the file, and the job is uploaded when the agent reports it started", async () => {
    const f = await queueFarm(services);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: f.printer.id }))
      .body.data!.id as string;
    const agent = agentLoop(app, f.agent.token);
    await channelOpen(services, f.agent.id);
    const res = await start(f.key, id);
    await agent.stop();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      job_id: id,
      printer_id: f.printer.id,
      status: "processing",
    });
    expect(agent.received).toEqual([
      {
        id: res.body.data!.command_id,
        machine_id: f.printer.machineId,
        action: "print",
        requested_at: services.clock.now().toISOString(),
        job_id: id,
        file: {
          name: `Benchy_v2-${id.slice(0, 8)}.gcode`,
          size_bytes: 123_456,
          sha256: "a".repeat(64),
          url: expect.stringMatching(/^\/agent\/v1\/files\/[^/]+$/),
        },
      },
    ]);
    const [row] = await services.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({
      status: "uploaded",
      printerId: f.printer.id,
      commandId: res.body.data!.command_id,
      octoprintFileName: `apf/Benchy_v2-${id.slice(0, 8)}.gcode`,
    });
  });

  it("answers HUB_COMMAND_FAILED when the agent refuses, queues the job again, and fails it after 3 attempts", async () => {
    const f = await queueFarm(services);
    const id = (await enqueue(app, f.key, { print_file_id: f.file.id, printer_id: f.printer.id }))
      .body.data!.id as string;
    const agent = agentLoop(app, f.agent.token, () => ({
      ok: false,
      error: "OctoPrint stored the file but did not start it: printer not ready",
    }));
    await channelOpen(services, f.agent.id);
    for (const attempt of [1, 2]) {
      const res = await start(f.key, id);
      expect([res.status, res.body.code]).toEqual([503, "HUB_COMMAND_FAILED"]);
      const job = (await send(app, f.key, "GET", `/public/v1/jobs/${id}`)).body.data;
      expect(job).toMatchObject({
        status: "queued",
        attempts: attempt,
        printer_id: f.printer.id,
        last_error: "OctoPrint stored the file but did not start it: printer not ready",
      });
    }
    expect((await start(f.key, id)).body.code).toBe("HUB_COMMAND_FAILED");
    await agent.stop();
    const job = (await send(app, f.key, "GET", `/public/v1/jobs/${id}`)).body.data;
    expect(job).toMatchObject({ status: "failed", attempts: 3, position: null });
    expect(job?.failure_reason).toContain("did not start it");
  });
});
