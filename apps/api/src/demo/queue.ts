import { Readable } from "node:stream";
import { jobs, memberships, organizations, printFiles, skus } from "@apf/db";
import { listTasks } from "@apf/db/queries/tasks";
import { and, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Services } from "../context.ts";
import { type Actor, SYSTEM_ACTOR } from "../modules/audit/audit.ts";
import { prepareUpload } from "../modules/files/prepare-upload.ts";
import { createPrintFile } from "../modules/files/print-files.ts";
import { receiveUpload } from "../modules/files/receive-upload.ts";
import { enqueueJob, type QueueActor } from "../modules/print-queue/operations.ts";
import { completeWorklistTask } from "../modules/print-queue/worklist.ts";
import { DEMO_PRINTS, demoGcode } from "./gcode.ts";
import { DEMO_EMAIL } from "./seed.ts";

/** Jobs the demo queues on its first start; the technician keeps a few more coming. */
const FIRST_JOBS = 12;
/** Below this many queued jobs the simulated technician queues another print. */
const KEEP_QUEUED = 3;
/** How long a finished print waits on the bed before the technician collects it. */
const COLLECT_AFTER_MS = 15_000;
const TECHNICIAN_ROUND_MS = 3_000;

/** The demo farm's organization (its owner's first) and owner. */
async function demoOrganization(db: Services["db"]) {
  const result = await db.execute(sql`
    select m.organization_id, m.user_id from ${memberships} m
    join users u on u.id = m.user_id
    where u.email = ${DEMO_EMAIL} order by m.created_at limit 1`);
  // node-postgres and PGlite both answer { rows }.
  const [row] = (result as { rows: { organization_id: string; user_id: string }[] }).rows;
  return row ?? null;
}

function demoActor(organizationId: string, userId: string): QueueActor {
  const origin: Actor = { ...SYSTEM_ACTOR, id: "demo" };
  return { organizationId, requester: { type: "user", id: userId }, origin };
}

/**
 * On the demo's first start: the three sliced files uploaded through the same three steps an
 * integrator uses, a dozen jobs queued for them, and `auto_start` on, so the farm runs itself.
 */
async function seedDemoQueue(services: Services, actor: QueueActor, userId: string) {
  const org = actor.organizationId;
  const [existing] = await services.db
    .select({ n: sql<number>`count(*)::int` })
    .from(printFiles)
    .where(eq(printFiles.organizationId, org));
  if ((existing?.n ?? 0) > 0) return;
  const skuRows = await services.db.select().from(skus).where(eq(skus.organizationId, org));
  const fileIds: { id: string; skuId: string | null }[] = [];
  for (const print of DEMO_PRINTS) {
    const prepared = prepareUpload(services, {
      organizationId: org,
      issuer: `user:${userId}`,
      filename: print.filename,
    });
    const bytes = Buffer.from(demoGcode(print));
    await receiveUpload(
      services,
      { organizationId: org, issuer: `user:${userId}` },
      prepared.uploadToken,
      {
        stream: () => Readable.from([bytes]),
        declaredLength: bytes.length,
        chunked: false,
      },
    );
    const file = await createPrintFile(services, org, actor.origin, {
      name: print.name,
      storageKey: prepared.storageKey,
    });
    const sku = skuRows.find((s) => s.printFileName === print.filename);
    fileIds.push({ id: file.id, skuId: sku?.id ?? null });
  }
  await services.db
    .update(organizations)
    .set({ autoStart: true, startSpacingSeconds: 5 })
    .where(eq(organizations.id, org));
  for (let i = 0; i < FIRST_JOBS; i += 1) {
    const file = fileIds[i % fileIds.length]!;
    await enqueueJob(services, actor, {
      printFileId: file.id,
      ...(file.skuId ? { productSkuId: file.skuId } : {}),
    });
  }
}

/** One round of the simulated technician: collect finished prints, keep the queue fed. */
async function technicianRound(services: Services, actor: QueueActor) {
  const org = actor.organizationId;
  const now = services.clock.now().getTime();
  const { rows } = await listTasks(
    services.db,
    org,
    { status: "pending", taskType: "collection" },
    { limit: 50, offset: 0 },
  );
  for (const task of rows) {
    if (now - task.createdAt.getTime() < COLLECT_AFTER_MS) continue;
    await completeWorklistTask(services, actor, task.id).catch(() => undefined);
  }
  const [queued] = await services.db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(and(eq(jobs.organizationId, org), eq(jobs.status, "queued")));
  if ((queued?.n ?? 0) >= KEEP_QUEUED) return;
  const files = await services.db
    .select({ id: printFiles.id, name: printFiles.originalFilename })
    .from(printFiles)
    .where(eq(printFiles.organizationId, org));
  const file = files[Math.floor(Math.random() * files.length)];
  if (!file) return;
  const [sku] = await services.db
    .select({ id: skus.id })
    .from(skus)
    .where(and(eq(skus.organizationId, org), eq(skus.printFileName, file.name)));
  await enqueueJob(services, actor, {
    printFileId: file.id,
    ...(sku ? { productSkuId: sku.id } : {}),
  });
}

/**
 * The demo's queue: seeded on the first start, then a simulated technician who clears each bed
 * a little after its print ends and queues another print when the queue runs low.
 */
export async function startDemoQueue(
  services: Services,
  logger: Logger,
): Promise<{ stop(): void }> {
  const owner = await demoOrganization(services.db);
  if (!owner) return { stop() {} };
  const actor = demoActor(owner.organization_id, owner.user_id);
  await seedDemoQueue(services, actor, owner.user_id);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    technicianRound(services, actor)
      .catch((err: unknown) => logger.warn({ err }, "demo technician round failed"))
      .finally(() => {
        running = false;
      });
  }, TECHNICIAN_ROUND_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
