import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/client.ts";
import {
  type AnalyticsWindow,
  failureFigures,
  materialUsage,
  printerJobFigures,
  productionByDay,
} from "../src/queries/analytics.ts";
import { regroupJobStats } from "../src/queries/job-stats.ts";
import { jobs, organizations, printers, printFiles, skus } from "../src/schema/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

/*
 * The analytics rollups (job_day_totals, printer_day_stats), kept by triggers on jobs, must
 * answer exactly what the reports answered when they read every job. Each case below builds a
 * farm of random jobs, changes it the ways apf's writers do (ends, retries, moves, deletions,
 * a new time zone), and compares every report figure with the same figure read from jobs by the
 * queries the reports used before the rollups (kept here as the reference), over windows of
 * one day to four months, across a daylight-saving change, with and without filters.
 */

let handle: TestDatabase;
let db: Database;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle.close());

/** A small deterministic generator (mulberry32): the same farm on every run. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const HOUR = 3_600_000;
const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;

// --- the reference: the reports' queries over every job, as they were before the rollups ---

const start = (w: AnalyticsWindow) =>
  sql`((${w.from}::date)::timestamp at time zone ${w.timeZone})`;
const end = (w: AnalyticsWindow) =>
  sql`(((${w.to}::date) + 1)::timestamp at time zone ${w.timeZone})`;
const endedDay = (w: AnalyticsWindow) =>
  sql`to_char((j.time_completed at time zone ${w.timeZone})::date, 'YYYY-MM-DD')`;
const printed = sql`coalesce(extract(epoch from (j.time_completed - j.time_started)), j.actual_print_time_minutes * 60)`;

async function refProduction(
  org: string,
  w: AnalyticsWindow,
  f: { printerId?: string; productId?: string },
) {
  const result = await db.execute(sql`select ${endedDay(w)} as date,
      count(*) filter (where j.status = 'completed')::int as completed,
      count(*) filter (where j.status = 'failed')::int as failed,
      coalesce(sum(j.number_of_units) filter (where j.status = 'completed'), 0)::int as units,
      coalesce(sum(${printed}) filter (where j.status = 'completed'), 0)::float8 as print_seconds
    from ${jobs} j
    where j.organization_id = ${org} and j.status in ('completed', 'failed')
      and j.time_completed >= ${start(w)} and j.time_completed < ${end(w)}
      ${f.printerId ? sql`and j.printer_id = ${f.printerId}` : sql``}
      ${f.productId ? sql`and j.product_sku_id in (select id from ${skus} where product_id = ${f.productId})` : sql``}
    group by 1`);
  return new Map(
    rows<{ date: string; completed: number; failed: number; units: number; print_seconds: number }>(
      result,
    ).map((r) => [
      r.date,
      {
        completed: Number(r.completed),
        failed: Number(r.failed),
        units: Number(r.units),
        printSeconds: Number(r.print_seconds),
      },
    ]),
  );
}

/**
 * Printing time as the rollups define it: an ended job from its start (or, without one, its
 * reported print time before its end) to its end; a running job from its start to now; both
 * clipped to the window and to now.
 */
async function refPrinters(org: string, w: AnalyticsWindow) {
  const now = sql`${w.now.toISOString()}::timestamptz`;
  const inWindow = sql`j.time_completed >= ${start(w)} and j.time_completed < ${end(w)}`;
  const began = sql`coalesce(j.time_started, j.time_completed - make_interval(mins => j.actual_print_time_minutes))`;
  const result = await db.execute(sql`select j.printer_id,
      count(*) filter (where j.status in ('completed', 'failed', 'cancelled') and ${inWindow})::int as total,
      count(*) filter (where j.status = 'completed' and ${inWindow})::int as completed,
      count(*) filter (where j.status = 'failed' and ${inWindow})::int as failed,
      coalesce(sum(greatest(0, extract(epoch from (
        least(coalesce(j.time_completed, ${now}), ${end(w)}, ${now}) - greatest(${began}, ${start(w)})
      )))) filter (where ${began} is not null), 0)::float8 as busy
    from ${jobs} j
    where j.organization_id = ${org} and j.printer_id is not null
      and (j.time_completed >= ${start(w)}
        or (j.time_completed is null and j.status in ('processing', 'uploaded', 'printing', 'paused')))
    group by 1`);
  return rows<{
    printer_id: string;
    total: number;
    completed: number;
    failed: number;
    busy: number;
  }>(result).map((r) => ({
    printerId: r.printer_id,
    total: Number(r.total),
    completed: Number(r.completed),
    failed: Number(r.failed),
    busySeconds: Number(r.busy),
  }));
}

async function refFailures(org: string, w: AnalyticsWindow) {
  const failed = sql`j.organization_id = ${org} and j.status = 'failed'
    and j.time_completed >= ${start(w)} and j.time_completed < ${end(w)}`;
  const [reasons, byPrinter, byFile, byDay] = await Promise.all([
    db.execute(sql`select j.failure_reason as reason, count(*)::int as count
      from ${jobs} j where ${failed} group by 1`),
    db.execute(sql`select j.printer_id, p.name, count(*)::int as count
      from ${jobs} j left join ${printers} p on p.id = j.printer_id
      where ${failed} group by 1, 2 order by 3 desc, 2`),
    db.execute(sql`select j.file_name, count(*)::int as count
      from ${jobs} j where ${failed} group by 1 order by 2 desc, 1`),
    db.execute(sql`select ${endedDay(w)} as date, count(*)::int as count
      from ${jobs} j where ${failed} group by 1`),
  ]);
  return {
    byReason: rows<{ reason: string | null; count: number }>(reasons),
    byPrinter: rows<{ printer_id: string | null; name: string | null; count: number }>(byPrinter),
    byFile: rows<{ file_name: string | null; count: number }>(byFile),
    byDay: new Map(rows<{ date: string; count: number }>(byDay).map((r) => [r.date, r.count])),
  };
}

async function refUsage(org: string, w: AnalyticsWindow) {
  const used = sql`from ${jobs} j join ${printFiles} f on f.id = j.print_file_id
    where j.organization_id = ${org} and j.status = 'completed'
      and f.filament_weight_grams is not null
      and j.time_completed >= ${start(w)} and j.time_completed < ${end(w)}`;
  const [byMaterial, byDay] = await Promise.all([
    db.execute(sql`select coalesce(f.filament_type, j.material_type, j.filament_type, 'unknown') as material,
        sum(f.filament_weight_grams)::float8 as grams ${used} group by 1 order by 2 desc, 1`),
    db.execute(sql`select ${endedDay(w)} as date, sum(f.filament_weight_grams)::float8 as grams
      ${used} group by 1`),
  ]);
  return {
    byMaterial: rows<{ material: string; grams: number }>(byMaterial),
    byDay: new Map(rows<{ date: string; grams: number }>(byDay).map((r) => [r.date, r.grams])),
  };
}

// --- the farm ---

interface Farm {
  org: string;
  printerIds: string[];
  skuIds: string[];
  productIds: string[];
  fileIds: string[];
}

const REASONS = [null, "printer_error", "Thermal runaway on T0 at 215.3C", "Filament runout"];
const OPEN: readonly string[] = ["printing", "paused", "processing", "queued"];
const STATUSES = [
  "completed",
  "completed",
  "completed",
  "failed",
  "cancelled",
  "printing",
  "paused",
  "processing",
  "queued",
] as const;

async function buildFarm(seed: number, timeZone: string, now: Date): Promise<Farm> {
  const r = random(seed);
  const [org] = await db
    .insert(organizations)
    .values({ name: `Rollup farm ${seed}`, timeZone })
    .returning({ id: organizations.id });
  const orgId = org!.id;
  const printerIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const [p] = await db
      .insert(printers)
      .values({ organizationId: orgId, machineId: `m-${seed}-${i}`, name: `P${i}`, status: "idle" })
      .returning({ id: printers.id });
    printerIds.push(p!.id);
  }
  const productIds = [randomUUID(), randomUUID()];
  const skuIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const [s] = await db
      .insert(skus)
      .values({
        organizationId: orgId,
        sku: `S${i}`,
        productName: `Product ${i % 2}`,
        productId: productIds[i % 2],
      })
      .returning({ id: skus.id });
    skuIds.push(s!.id);
  }
  const fileIds: string[] = [];
  for (const [i, [grams, type]] of (
    [
      [40, "PLA"],
      [25.5, null],
      [null, "PETG"],
    ] as const
  ).entries()) {
    const id = randomUUID();
    await db.insert(printFiles).values({
      id,
      organizationId: orgId,
      name: `file-${seed}-${i}`,
      originalFilename: "f.gcode",
      storageKey: `${orgId}/${id}`,
      fileSizeBytes: 1,
      sha256: "0".repeat(64),
      filamentWeightGrams: grams,
      filamentType: type,
    });
    fileIds.push(id);
  }
  const values: (typeof jobs.$inferInsert)[] = [];
  // A printer runs one open job at a time (jobs_open_per_printer_key).
  const busy = new Set<string>();
  for (let i = 0; i < 160; i++) {
    const status = r.pick(STATUSES);
    const open = OPEN.includes(status);
    let printerId: string | null = status === "queued" || r.chance(0.1) ? null : r.pick(printerIds);
    if (open && printerId !== null && status !== "queued") {
      if (busy.has(printerId)) printerId = null;
      else busy.add(printerId);
    }
    // Over the last 40 days, some of them across local midnight or running for days.
    const endAt = now.getTime() - r.int(0, 40 * 24) * HOUR - r.int(0, 59) * 60_000;
    const length = r.chance(0.1) ? r.int(20, 80) * HOUR : r.int(5, 300) * 60_000;
    const started =
      status === "queued" || (status === "processing" && r.chance(0.5)) || r.chance(0.08)
        ? null
        : new Date(endAt - length);
    values.push({
      organizationId: orgId,
      status,
      printerId,
      productSkuId: r.chance(0.3) ? null : r.pick(skuIds),
      printFileId: r.chance(0.3) ? null : r.pick(fileIds),
      fileName: r.pick([null, "bracket.gcode", "hook.gcode", "clip.gcode"]),
      numberOfUnits: r.int(1, 4),
      materialType: r.pick([null, "PLA", "PETG"]),
      filamentType: r.pick([null, "ASA"]),
      actualPrintTimeMinutes: r.chance(0.5) ? r.int(1, 500) : null,
      failureReason: status === "failed" ? r.pick(REASONS) : null,
      timeStarted: started,
      // Open jobs have no end yet, except a few old rows a retry left one on.
      timeCompleted: open ? (r.chance(0.05) ? new Date(endAt) : null) : new Date(endAt),
    });
  }
  // Two jobs ending at once on one printer and many in one statement, as a report ends them.
  await db.insert(jobs).values(values);
  return { org: orgId, printerIds, skuIds, productIds, fileIds };
}

/** What apf's writers do to jobs after they end: retries, moves, edits, deletions. */
async function changeFarm(farm: Farm, seed: number, now: Date) {
  const r = random(seed);
  const all = await db
    .select({ id: jobs.id, status: jobs.status })
    .from(jobs)
    .where(eq(jobs.organizationId, farm.org));
  all.sort((a, b) => a.id.localeCompare(b.id));
  for (const { id, status } of all) {
    const open = OPEN.includes(status) && status !== "queued";
    const roll = r.next();
    if (roll < 0.08) {
      // A retry: back in the queue, its end and printer cleared.
      await db
        .update(jobs)
        .set({ status: "queued", timeCompleted: null, printerId: null, timeStarted: null })
        .where(eq(jobs.id, id));
    } else if (roll < 0.16) {
      // A running job ends now.
      await db
        .update(jobs)
        .set({
          status: r.pick(["completed", "failed", "cancelled"] as const),
          timeCompleted: new Date(now.getTime() - r.int(0, 120) * 60_000),
          failureReason: r.pick(REASONS),
        })
        .where(eq(jobs.id, id));
    } else if (roll < 0.22 && !open) {
      await db
        .update(jobs)
        .set({ printerId: r.pick(farm.printerIds), productSkuId: r.pick(farm.skuIds) })
        .where(eq(jobs.id, id));
    } else if (roll < 0.26) {
      await db
        .update(jobs)
        .set({ numberOfUnits: r.int(1, 9), printFileId: r.pick(farm.fileIds) })
        .where(eq(jobs.id, id));
    } else if (roll < 0.3) {
      await db.delete(jobs).where(eq(jobs.id, id));
    } else if (roll < 0.33) {
      // Progress of a running job, or a stock count: nothing the reports read.
      await db.update(jobs).set({ progressPercentage: 50, updatedAt: now }).where(eq(jobs.id, id));
    }
  }
  // A printer, a file and a SKU deleted: their jobs keep their figures, without them.
  await db.delete(printers).where(eq(printers.id, farm.printerIds.pop()!));
  await db.delete(printFiles).where(eq(printFiles.id, farm.fileIds.pop()!));
  await db.delete(skus).where(eq(skus.id, farm.skuIds.pop()!));
  // A SKU moved to the other product: the product filter follows it.
  await db.update(skus).set({ productId: farm.productIds[1] }).where(eq(skus.id, farm.skuIds[0]!));
}

// --- the comparison ---

function windows(now: Date, timeZone: string): AnalyticsWindow[] {
  const day = (offset: number) =>
    new Intl.DateTimeFormat("en-CA", { timeZone }).format(
      new Date(now.getTime() + offset * 24 * HOUR),
    );
  return [
    { from: day(-29), to: day(0), timeZone, now },
    { from: day(-5), to: day(-5), timeZone, now },
    { from: day(0), to: day(0), timeZone, now },
    { from: day(-120), to: day(-10), timeZone, now },
    { from: day(-2), to: day(3), timeZone, now },
    // Across a change of daylight saving time, in zones that have one.
    { from: "2026-10-30", to: "2026-11-03", timeZone, now },
    { from: "2026-03-27", to: "2026-03-31", timeZone, now },
  ];
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

async function expectSameFigures(farm: Farm, w: AnalyticsWindow) {
  const at = `${w.from}…${w.to} ${w.timeZone}`;
  const filters = [
    {},
    { printerId: farm.printerIds[0] },
    { productId: farm.productIds[0] },
    { printerId: farm.printerIds[1], productId: farm.productIds[1] },
  ];
  for (const f of filters) {
    const [got, want] = await Promise.all([
      productionByDay(db, farm.org, w, f),
      refProduction(farm.org, w, f),
    ]);
    for (const d of got) {
      const ref = want.get(d.date) ?? { completed: 0, failed: 0, units: 0, printSeconds: 0 };
      expect([d.completed, d.failed, d.units], `${at} ${JSON.stringify(f)} ${d.date}`).toEqual([
        ref.completed,
        ref.failed,
        ref.units,
      ]);
      expect(close(d.printSeconds, ref.printSeconds), `${at} print seconds ${d.date}`).toBe(true);
    }
  }

  const [got, want] = await Promise.all([
    printerJobFigures(db, farm.org, w),
    refPrinters(farm.org, w),
  ]);
  const nonZero = got.printers.filter((p) => p.total || p.completed || p.failed || p.busySeconds);
  const byId = new Map(want.map((p) => [p.printerId, p]));
  for (const p of nonZero) {
    const ref = byId.get(p.printerId);
    expect(ref, `${at} printer ${p.printerId}`).toBeDefined();
    expect([p.total, p.completed, p.failed], at).toEqual([ref!.total, ref!.completed, ref!.failed]);
    expect(
      close(p.busySeconds, ref!.busySeconds),
      `${at} busy ${p.busySeconds} ${ref!.busySeconds}`,
    ).toBe(true);
  }
  const wanted = want.filter((p) => p.total || p.completed || p.failed || p.busySeconds > 1e-6);
  expect(nonZero.length, at).toBe(wanted.length);

  const [failures, refFail] = await Promise.all([
    failureFigures(db, farm.org, w),
    refFailures(farm.org, w),
  ]);
  const sortReasons = (xs: { reason: string | null; count: number }[]) =>
    [...xs].sort((a, b) => String(a.reason).localeCompare(String(b.reason)));
  expect(sortReasons(failures.byReason), at).toEqual(sortReasons(refFail.byReason));
  expect(
    failures.byPrinter.map((p) => [p.printerId, p.name, p.count]),
    at,
  ).toEqual(refFail.byPrinter.map((p) => [p.printer_id, p.name, p.count]));
  expect(
    failures.byFile.map((x) => [x.fileName, x.count]),
    at,
  ).toEqual(refFail.byFile.map((x) => [x.file_name, x.count]));
  for (const d of failures.byDay)
    expect(d.count, `${at} ${d.date}`).toBe(refFail.byDay.get(d.date) ?? 0);

  const [usage, refUse] = await Promise.all([
    materialUsage(db, farm.org, w),
    refUsage(farm.org, w),
  ]);
  expect(
    usage.byMaterial.map((m) => m.materialType),
    at,
  ).toEqual(refUse.byMaterial.map((m) => m.material));
  for (const [i, m] of usage.byMaterial.entries()) {
    expect(close(m.grams, refUse.byMaterial[i]!.grams), at).toBe(true);
  }
  for (const d of usage.byDay) {
    expect(close(d.grams, refUse.byDay.get(d.date) ?? 0), `${at} usage ${d.date}`).toBe(true);
  }
}

/** The rollup rows as the triggers left them, then as a rebuild makes them: the same. */
async function expectRebuildAgrees(org: string) {
  const snapshot = async () => {
    const totals = await db.execute(sql`select day::text, product_sku_id, print_file_id,
        job_material, completed, failed, cancelled, units, round(print_seconds::numeric, 3) as s
      from job_day_totals where organization_id = ${org}
        and (completed, failed, cancelled, units) <> (0, 0, 0, 0)
      order by 1, 2, 3, 4`);
    const days = await db.execute(sql`select printer_id, day::text, ended, completed, failed,
        units, round(print_seconds::numeric, 3) as s, round(busy_seconds::numeric, 3) as b,
        cum_ended, cum_completed, cum_failed, round(cum_busy_seconds::numeric, 3) as cb
      from printer_day_stats where organization_id = ${org}
        and (ended, completed, failed, units, round(busy_seconds::numeric, 3)) <> (0, 0, 0, 0, 0)
      order by 1, 2`);
    return { totals: rows(totals), days: rows(days) };
  };
  const incremental = await snapshot();
  await db.execute(sql`select apf_rebuild_job_stats(${org}::uuid)`);
  expect(await snapshot()).toEqual(incremental);
}

describe("a printer whose jobs all went back to the queue", () => {
  it("has printed nothing, not a floating-point residue of it", async () => {
    const now = new Date("2026-11-12T15:30:00Z");
    const [org] = await db
      .insert(organizations)
      .values({ name: "Residue farm", timeZone: "UTC" })
      .returning({ id: organizations.id });
    const [printer] = await db
      .insert(printers)
      .values({ organizationId: org!.id, machineId: "m-residue", name: "R", status: "idle" })
      .returning({ id: printers.id });
    const ended = new Date("2026-11-10T12:00:00Z");
    // 0.1 s and 0.2 s of printing on one day: 0.1 + 0.2 - 0.1 - 0.2 is 5.6e-17 in floating point.
    const ids = await db
      .insert(jobs)
      .values(
        [100, 200].map((ms) => ({
          organizationId: org!.id,
          status: "cancelled" as const,
          printerId: printer!.id,
          timeStarted: new Date(ended.getTime() - ms),
          timeCompleted: ended,
        })),
      )
      .returning({ id: jobs.id });
    for (const { id } of ids)
      await db
        .update(jobs)
        .set({ status: "queued", timeCompleted: null, timeStarted: null, printerId: null })
        .where(eq(jobs.id, id));
    const w = { from: "2026-11-01", to: "2026-11-12", timeZone: "UTC", now };
    const { printers: figures } = await printerJobFigures(db, org!.id, w);
    expect(figures.map((p) => p.busySeconds)).toEqual([0]);
  });
});

describe.each([
  [1, "America/New_York"],
  [2, "Asia/Kolkata"],
  [3, "UTC"],
])("farm %i in %s", (seed, timeZone) => {
  // A fixed clock, so the daylight-saving windows below always hold jobs (New York's ends on
  // 2026-11-01).
  const now = new Date("2026-11-12T15:30:00Z");
  let farm: Farm;

  it("answers every figure as the jobs do, once the jobs ended", async () => {
    farm = await buildFarm(seed, timeZone, now);
    for (const w of windows(now, timeZone)) await expectSameFigures(farm, w);
    await expectRebuildAgrees(farm.org);
  });

  it("still does after retries, moves, edits and deletions", async () => {
    await changeFarm(farm, seed + 100, now);
    for (const w of windows(now, timeZone)) await expectSameFigures(farm, w);
    await expectRebuildAgrees(farm.org);
  });

  it("still does after one statement moves many ended jobs to other days and printers", async () => {
    // Rollups are kept per statement: one that takes many jobs' days away and adds others, on
    // printers with rows before, between and after them, must leave every running total right.
    await db.execute(sql`update ${jobs} set
        time_completed = time_completed - interval '1 day 3 hours',
        printer_id = coalesce((select p.id from ${printers} p
          where p.organization_id = ${farm.org} and p.id <> ${jobs.printerId}
          order by p.id limit 1), ${jobs.printerId})
      where organization_id = ${farm.org} and time_completed is not null
        and status in ('completed', 'failed', 'cancelled')
        and (extract(epoch from time_completed)::bigint / 3600) % 3 = 0`);
    for (const w of windows(now, timeZone)) await expectSameFigures(farm, w);
    await expectRebuildAgrees(farm.org);
  });

  it("regroups the days when the organization's time zone changes", async () => {
    const next = timeZone === "Pacific/Auckland" ? "UTC" : "Pacific/Auckland";
    await db.update(organizations).set({ timeZone: next }).where(eq(organizations.id, farm.org));
    // The change only marks the rollups stale; jobs that change meanwhile wait in the backlog.
    const [marked] = await db
      .select({ stale: organizations.jobStatsStale })
      .from(organizations)
      .where(eq(organizations.id, farm.org));
    expect(marked?.stale).toBe(true);
    await changeFarm(farm, seed + 200, now);
    expect(await regroupJobStats(db, farm.org)).toBe(true);
    for (const w of windows(now, next)) await expectSameFigures(farm, w);
    await expectRebuildAgrees(farm.org);
    const left = await db.execute(
      sql`select count(*)::int as n from job_stats_backlog where organization_id = ${farm.org}`,
    );
    expect(rows(left)).toEqual([{ n: 0 }]);
  });

  it("goes with its organization", async () => {
    await db.delete(organizations).where(eq(organizations.id, farm.org));
    const left = await db.execute(sql`select
        (select count(*) from job_day_totals where organization_id = ${farm.org})::int as t,
        (select count(*) from printer_day_stats where organization_id = ${farm.org})::int as p`);
    expect(rows(left)).toEqual([{ t: 0, p: 0 }]);
  });
});
