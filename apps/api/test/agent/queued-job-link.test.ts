import { randomUUID } from "node:crypto";
import { jobs, printers, printFiles, skus, tasks } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createTestServices, TestClock, type TestServices } from "../support/services.ts";
import { machine, postReport, report } from "./report-builder.ts";

// A queued job handed to a printer becomes that printer's job when OctoPrint shows its file, and
// every ended job leaves a bed to clear and a collection task (queue.md, "The bed and the worklist").

let services: TestServices;
const clock = new TestClock();
let app: ReturnType<typeof createApp>;
let orgId: string;
let token: string;

beforeAll(async () => {
  services = await createTestServices({ clock });
  app = createApp(services);
});
afterAll(async () => {
  await services.close();
});
beforeEach(async () => {
  const { organization } = await createOrganization(services.db);
  orgId = organization.id;
  clock.set(t(0));
  token = (await createAgent(services.db, orgId)).token;
});

const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));

async function send(...machines: unknown[]) {
  const res = await postReport(app, token, report(machines));
  expect(res.status).toBe(202);
  return (await res.json()).data as Record<string, number>;
}

/** A printer known from one idle report, and a queued job of a print file handed to it. */
async function handedOverJob(status: "processing" | "uploaded", opts: { skuId?: string } = {}) {
  await send(machine({ observedAt: t(0), flags: { operational: true, ready: true } }));
  const [printer] = await services.db
    .select()
    .from(printers)
    .where(eq(printers.organizationId, orgId));
  const fileId = randomUUID();
  await services.db.insert(printFiles).values({
    id: fileId,
    organizationId: orgId,
    name: "Cube",
    originalFilename: "cube.gcode",
    storageKey: `${orgId}/${fileId}.gcode`,
    fileSizeBytes: 1234,
    sha256: "a".repeat(64),
  });
  const jobId = randomUUID();
  const name = `cube-${jobId.slice(0, 8)}.gcode`;
  await services.db.insert(jobs).values({
    id: jobId,
    organizationId: orgId,
    printerId: printer!.id,
    status,
    fileName: "cube.gcode",
    printFileId: fileId,
    productSkuId: opts.skuId ?? null,
    numberOfUnits: 2,
    octoprintFileName: `apf/${name}`,
    dispatchedAt: t(0),
  });
  return { printer: printer!, jobId, name };
}

async function job(id: string) {
  const [row] = await services.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}
async function allJobs() {
  return services.db.select().from(jobs).where(eq(jobs.organizationId, orgId));
}
async function collectionTasks() {
  return services.db.select().from(tasks).where(eq(tasks.organizationId, orgId));
}

describe("a queued job on its printer", () => {
  it("becomes the printing job when OctoPrint shows its file, completes once, counts its units once, and leaves a collection task", async () => {
    const [sku] = await services.db
      .insert(skus)
      .values({ organizationId: orgId, sku: "CUBE", productName: "Cube" })
      .returning();
    const { printer, jobId, name } = await handedOverJob("uploaded", { skuId: sku!.id });

    const opened = await send(
      machine({ observedAt: t(1), flags: { printing: true }, file: name, completion: 5 }),
    );
    expect(opened.jobs_opened).toBe(1);
    expect(await allJobs()).toHaveLength(1);
    expect(await job(jobId)).toMatchObject({ status: "printing", progressPercentage: 5 });

    const finished = machine({
      observedAt: t(2),
      flags: { operational: true, ready: true },
      file: name,
      completion: 100,
    });
    const closed = await send(finished);
    expect(closed).toMatchObject({ jobs_closed: 1, units_counted: 2 });
    await send({ ...finished, observed_at: t(3).toISOString() });

    expect(await job(jobId)).toMatchObject({ status: "completed", progressPercentage: 100 });
    const [after] = await services.db.select().from(skus).where(eq(skus.id, sku!.id));
    expect(after!.readyStock).toBe(2);
    const [bed] = await services.db.select().from(printers).where(eq(printers.id, printer.id));
    expect(bed!.lastJobEndedAt?.toISOString()).toBe(t(2).toISOString());
    const list = await collectionTasks();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      taskType: "collection",
      status: "pending",
      printerId: printer.id,
      jobId,
      title: "Clear the bed of printer-a",
    });
  });

  it("goes back to the queue with its attempt counted when the printer begins another print", async () => {
    const { jobId } = await handedOverJob("processing");
    await send(
      machine({ observedAt: t(1), flags: { printing: true }, file: "other.gcode", completion: 1 }),
    );
    expect(await job(jobId)).toMatchObject({
      status: "queued",
      attempts: 1,
      printerId: null,
      lastError: "The printer began another print (other.gcode) before this job's.",
    });
    const observed = (await allJobs()).find((j) => j.id !== jobId);
    expect(observed).toMatchObject({ status: "printing", fileName: "other.gcode" });
  });

  it("fails on its third attempt instead of going back to the queue", async () => {
    const { jobId } = await handedOverJob("processing");
    await services.db.update(jobs).set({ attempts: 2 }).where(eq(jobs.id, jobId));
    await send(
      machine({ observedAt: t(1), flags: { printing: true }, file: "other.gcode", completion: 1 }),
    );
    expect(await job(jobId)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("completes when a short print began and ended between two reports", async () => {
    const { jobId, name } = await handedOverJob("uploaded");
    await send(
      machine({ observedAt: t(1), flags: { operational: true }, file: name, completion: 100 }),
    );
    expect(await job(jobId)).toMatchObject({ status: "completed", progressPercentage: 100 });
    expect(await collectionTasks()).toHaveLength(1);
  });

  it("waits while the agent still transfers the file, and gives an uploaded job two minutes to show", async () => {
    const processing = await handedOverJob("processing");
    clock.set(t(30));
    await send(machine({ observedAt: t(30), flags: { operational: true } }));
    expect((await job(processing.jobId)).status).toBe("processing");

    await services.db.update(jobs).set({ status: "uploaded" }).where(eq(jobs.id, processing.jobId));
    clock.set(t(119));
    await send(machine({ observedAt: t(119), flags: { operational: true } }));
    expect((await job(processing.jobId)).status).toBe("uploaded");
    clock.set(t(121));
    await send(machine({ observedAt: t(121), flags: { operational: true } }));
    expect(await job(processing.jobId)).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "OctoPrint accepted the file but never showed the print as started.",
    });
  });
});

describe("a job OctoPrint started by itself", () => {
  it("leaves a collection task and a bed to clear when it ends", async () => {
    await send(
      machine({
        observedAt: t(1),
        flags: { printing: true },
        file: "manual.gcode",
        completion: 50,
      }),
    );
    await send(machine({ observedAt: t(2), flags: { error: true } }));
    const [ended] = await allJobs();
    expect(ended!.status).toBe("failed");
    const list = await collectionTasks();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      jobId: ended!.id,
      subtitle: "manual.gcode failed",
      priority: "high",
      status: "pending",
    });
  });
});
