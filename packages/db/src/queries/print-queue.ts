import { type PrinterFreshness, readPrinter } from "@apf/domain";
import { and, asc, desc, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { executeNamed, type Queryable } from "../client.ts";
import {
  auditEvents,
  type CommandRequester,
  commands,
  type JobStatus,
  jobs,
  organizations,
  printers,
  printFiles,
  skus,
} from "../schema/index.ts";
import type { NewAuditEvent } from "./audit-events.ts";
import { DEFER_ORG_CHANGES, orgChange } from "./org-changes.ts";

/** Whether the organization has this SKU. */
export async function skuExists(db: Queryable, organizationId: string, id: string) {
  const [row] = await db
    .select({ id: skus.id })
    .from(skus)
    .where(and(eq(skus.organizationId, organizationId), eq(skus.id, id)))
    .limit(1);
  return row !== undefined;
}

// Subqueries name their tables in full: drizzle leaves columns of a one-table select unqualified.
const SPOOL_OF_PRINTER = `from filament_spools fs where fs.printer_id = "printers"."id" and fs.status <> 'archived' order by fs.updated_at desc limit 1`;

/** The material of the spool assigned to each printer (the newest one). */
const assignedSpool = {
  type: sql<string | null>`(select fs.type ${sql.raw(SPOOL_OF_PRINTER)})`,
  color: sql<string | null>`(select fs.color ${sql.raw(SPOOL_OF_PRINTER)})`,
};

/**
 * Every fact about a printer the queue decides on: its live status, whether it could take a job
 * now (and if not, the facts that say why), and what it has loaded.
 */
const openJobOf = sql<boolean>`exists (select 1 from jobs oj where oj.printer_id = "printers"."id" and oj.status in ('processing', 'uploaded', 'printing', 'paused'))`;
const channelOpenOf = (now: Date) =>
  sql<boolean>`exists (select 1 from command_channels cc join agents ca on ca.id = cc.agent_id where cc.agent_id = "printers"."agent_id" and cc.open_until > ${now} and ca.revoked_at is null)`;
const bedClearedOf = sql<boolean>`(${printers.lastJobEndedAt} is null or (${printers.bedClearedAt} is not null and ${printers.bedClearedAt} >= ${printers.lastJobEndedAt}))`;

function queuePrinterColumns(now: Date) {
  return {
    id: printers.id,
    name: printers.name,
    model: printers.model,
    nozzleSize: printers.nozzleSize,
    currentFilamentType: printers.currentFilamentType,
    currentColor: printers.currentColor,
    spoolType: assignedSpool.type,
    spoolColor: assignedSpool.color,
    // What the one printer view reads (@apf/domain readPrinter): status and online come from it.
    observedStatus: printers.status,
    reachable: printers.reachable,
    lastSeenAt: printers.lastSeenAt,
    progressPercentage: printers.progressPercentage,
    printTimeLeftS: printers.printTimeLeftS,
    currentJobId: printers.currentJobId,
    temperatures: printers.temperatures,
    isActive: printers.isActive,
    inMaintenance: printers.inMaintenance,
    bedCleared: bedClearedOf,
    agentId: printers.agentId,
    machineId: printers.machineId,
    hasOpenJob: openJobOf,
    channelOpen: channelOpenOf(now),
  };
}

type QueuePrinterRow = Awaited<ReturnType<typeof selectQueuePrinters>>[number];

function selectQueuePrinters(db: Queryable, now: Date) {
  return db.select(queuePrinterColumns(now)).from(printers);
}

/** A printer with the queue's facts, its status and liveness read by the one printer view. */
function withView(row: QueuePrinterRow, freshness: PrinterFreshness) {
  const { observedStatus, ...rest } = row;
  const view = readPrinter({ ...rest, status: observedStatus }, freshness);
  return { ...rest, status: view.status, online: view.online };
}

export type QueuePrinter = NonNullable<Awaited<ReturnType<typeof findQueuePrinter>>>;

/** One printer of the organization with the queue's facts, or undefined. */
export async function findQueuePrinter(
  db: Queryable,
  organizationId: string,
  printerId: string,
  freshness: PrinterFreshness,
) {
  const [row] = await selectQueuePrinters(db, freshness.now)
    .where(and(eq(printers.organizationId, organizationId), eq(printers.id, printerId)))
    .limit(1);
  return row && withView(row, freshness);
}

/** Every printer of the organization with the queue's facts. */
export async function listQueuePrinters(
  db: Queryable,
  organizationId: string,
  freshness: PrinterFreshness,
) {
  const rows = await selectQueuePrinters(db, freshness.now)
    .where(eq(printers.organizationId, organizationId))
    .orderBy(asc(printers.lastJobEndedAt), asc(printers.id))
    .prepare("apf_queue_printers")
    .execute();
  return rows.map((row) => withView(row, freshness));
}

/** A printer that may take a job now as far as its row says (the printer view still decides). */
function readyByRow(now: Date) {
  return and(
    eq(printers.status, "idle"),
    eq(printers.isActive, true),
    eq(printers.inMaintenance, false),
    sql`${printers.agentId} is not null`,
    bedClearedOf,
    sql`not ${openJobOf}`,
    channelOpenOf(now),
  )!;
}

/**
 * The printers of an organization with auto_start on that may take a job now, as far as their
 * rows say: observed idle, active, not in maintenance, bed cleared, no job on them, their agent
 * listening. The printer view (freshness) still decides; the rules' `dispatchable` says. A few
 * rows of printers_org_status_idx, so the dispatcher's pass costs little when none is free.
 */
export async function listReadyPrinters(
  db: Queryable,
  organizationId: string,
  freshness: PrinterFreshness,
) {
  const rows = await selectQueuePrinters(db, freshness.now)
    .where(
      and(
        eq(printers.organizationId, organizationId),
        readyByRow(freshness.now),
        sql`exists (select 1 from organizations ro where ro.id = ${organizationId} and ro.auto_start)`,
      ),
    )
    .orderBy(asc(printers.lastJobEndedAt), asc(printers.id))
    // Planning it cost more than running it: named, it is parsed and planned once a connection.
    .prepare("apf_ready_printers")
    .execute();
  return rows.map((row) => withView(row, freshness));
}

/**
 * A place in the queue behind every job queued so far: the database's clock in microseconds,
 * which only grows, so no read of the queue is needed (enqueue stays one statement). Ties (the
 * same microsecond) fall back to the job id.
 */
const BOTTOM = sql<number>`(extract(epoch from clock_timestamp()) * 1000000)::bigint`;

export interface PrintFileJob {
  /** The new job's id (the caller's, so its audit event can name it). */
  id: string;
  printFileId: string;
  printerId: string | null;
  productSkuId: string | null;
  color: string | null;
  filamentType: string | null;
  materialType: string | null;
  /** Null: the print file's. */
  numberOfUnits: number | null;
  priority: number;
  now: Date;
  /** Its audit event, written only if the job was. */
  audit: NewAuditEvent;
}

/**
 * Queues print files of one organization as jobs at the bottom of the queue, in the order given,
 * each with its audit event, in one statement (atomic without a transaction, and one round trip
 * however many jobs): each file's row is locked FOR KEY SHARE and read (see getPrintFile: a delete
 * under way is waited for, one that comes later sees the job), a job takes its file's name, units
 * and estimate. A job whose file the organization does not have is not written (nor its audit
 * event). Returns the ids of the jobs written and the organization changes to announce once it
 * returned (its notifications are deferred, as ingest's are: a notifying commit waits for the one
 * before).
 */
export async function insertPrintFileJobs(
  db: Queryable,
  organizationId: string,
  list: readonly PrintFileJob[],
): Promise<{ written: Set<string>; changes: string[] }> {
  if (list.length === 0) return { written: new Set(), changes: [] };
  // One JSON parameter for the whole list: the statement's text stays the same (it is named).
  const wanted = JSON.stringify(
    list.map((job, ord) => ({
      ord,
      id: job.id,
      print_file_id: job.printFileId,
      printer_id: job.printerId,
      product_sku_id: job.productSkuId,
      color: job.color,
      filament_type: job.filamentType,
      material_type: job.materialType,
      number_of_units: job.numberOfUnits,
      priority: job.priority,
      now: job.now.toISOString(),
      a_action: job.audit.action,
      a_actor_type: job.audit.actorType,
      a_actor_id: job.audit.actorId,
      a_target_type: job.audit.targetType,
      a_target_id: job.audit.targetId,
      a_ip: job.audit.ip,
      a_user_agent: job.audit.userAgent,
      a_details: job.audit.details,
    })),
  );
  const f = printFiles;
  // The CTEs run in the order their rows are needed: the flag before the files, the files before
  // the jobs, the jobs before their audit events; the jobs trigger fires at the end of the
  // statement. The jobs are inserted in the list's order, so their positions (BOTTOM) follow it.
  const result = await executeNamed<{ id: string }>(
    db,
    "apf_insert_print_file_jobs",
    sql`
    with deferred as materialized (${DEFER_ORG_CHANGES}),
    wanted as materialized (
      select * from json_to_recordset(${wanted}::json) as w(ord int, id uuid, print_file_id uuid,
        printer_id uuid, product_sku_id uuid, color text, filament_type text, material_type text,
        number_of_units int, priority int, now timestamptz, a_action text, a_actor_type text,
        a_actor_id text, a_target_type text, a_target_id text, a_ip text, a_user_agent text,
        a_details jsonb)
    ),
    file as (
      select ${f.id} as file_id, ${f.originalFilename} as name, ${f.numberOfUnits} as units,
             ${f.printTimeSeconds} as seconds
      from ${f}, deferred
      where ${f.organizationId} = ${organizationId}
        and ${f.id} in (select print_file_id from wanted)
      for key share of ${f}
    ),
    job as (
      insert into ${jobs} (id, organization_id, status, print_file_id, file_name, printer_id,
        assigned_printer_id, product_sku_id, color, filament_type, material_type, number_of_units,
        priority, estimated_print_time_minutes, queue_position, time_submitted, created_at,
        updated_at)
      select w.id, ${organizationId}::uuid, 'queued', w.file_id, w.name, w.printer_id,
        w.printer_id, w.product_sku_id, w.color, w.filament_type, w.material_type,
        coalesce(w.number_of_units, w.units), w.priority, ceil(w.seconds / 60.0)::int, ${BOTTOM},
        w.now, w.now, w.now
      from (select * from wanted join file on file.file_id = wanted.print_file_id
            order by wanted.ord) w
      returning id
    ),
    event as (
      insert into ${auditEvents} (organization_id, action, actor_type, actor_id, target_type,
        target_id, ip, user_agent, details, created_at)
      select ${organizationId}::uuid, w.a_action, w.a_actor_type, w.a_actor_id, w.a_target_type,
        w.a_target_id, w.a_ip, w.a_user_agent, w.a_details, clock_timestamp()
      from (select wanted.* from wanted join job on job.id = wanted.id order by wanted.ord) w
    )
    select id from job`,
  );
  const written = new Set(result.rows.map((r) => r.id));
  return { written, changes: written.size > 0 ? [orgChange("jobs", organizationId)] : [] };
}

/** One job of the organization (every column), or undefined. */
export async function findQueueJob(db: Queryable, organizationId: string, jobId: string) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.organizationId, organizationId), eq(jobs.id, jobId)))
    .limit(1);
  return row;
}
export type QueueJob = NonNullable<Awaited<ReturnType<typeof findQueueJob>>>;

const queued = (organizationId: string, jobId: string) =>
  and(eq(jobs.organizationId, organizationId), eq(jobs.id, jobId), eq(jobs.status, "queued"));

export interface QueuedJobPatch {
  priority?: number;
  /** null: any printer. */
  printerId?: string | null;
}

/** Changes a job while it is queued (compare-and-set); undefined when it is not queued (any more). */
export async function updateQueuedJob(
  db: Queryable,
  organizationId: string,
  jobId: string,
  patch: QueuedJobPatch,
  now: Date,
) {
  const set: Partial<typeof jobs.$inferInsert> = { updatedAt: now };
  if (patch.priority !== undefined) set.priority = patch.priority;
  if (patch.printerId !== undefined) {
    set.printerId = patch.printerId;
    set.assignedPrinterId = patch.printerId;
    set.waitingReason = null;
  }
  const [row] = await db
    .update(jobs)
    .set(set)
    .where(queued(organizationId, jobId))
    .returning({ id: jobs.id });
  return row;
}

/** Moves a queued job to the top or the bottom of the queue; undefined when it is not queued. */
export async function moveQueuedJobToEnd(
  db: Queryable,
  organizationId: string,
  jobId: string,
  end: "top" | "bottom",
  now: Date,
) {
  const others = sql`(select ${end === "top" ? sql`min` : sql`max`}(q.queue_position) from jobs q where q.organization_id = ${organizationId} and q.status = 'queued' and q.id <> ${jobId})`;
  const position =
    end === "top"
      ? sql`coalesce(${others} - 1, 0)`
      : sql`greatest(coalesce(${others} + 1, 0), ${BOTTOM})`;
  const [row] = await db
    .update(jobs)
    .set({ queuePosition: position, updatedAt: now })
    .where(queued(organizationId, jobId))
    .returning({ id: jobs.id });
  return row;
}

/**
 * Puts a queued job at `place` (1-based) among the organization's queued jobs and renumbers the
 * queue 1…n in its new order (the queue is locked meanwhile). Priority still comes first: the
 * place orders the job among the jobs of its priority. Undefined when the job is not queued.
 */
export async function moveQueuedJobToPlace(
  db: Queryable,
  organizationId: string,
  jobId: string,
  place: number,
  now: Date,
) {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.organizationId, organizationId), eq(jobs.status, "queued")))
    .orderBy(...QUEUE_ORDER)
    .for("update");
  const ids = rows.map((r) => r.id);
  const from = ids.indexOf(jobId);
  if (from < 0) return undefined;
  ids.splice(from, 1);
  ids.splice(Math.min(place - 1, ids.length), 0, jobId);
  // Renumber in one statement: position i for the i-th id.
  await db.execute(sql`
    update ${jobs} set queue_position = v.position,
      updated_at = case when ${jobs.id} = ${jobId} then ${now}::timestamptz else ${jobs.updatedAt} end
    from (select unnest(${sql.param(ids)}::uuid[]) as id, generate_series(1, ${ids.length}) as position) v
    where ${jobs.id} = v.id and ${jobs.status} = 'queued'`);
  return { id: jobId };
}

/** The queue's order: priority first (higher first), then position, then id. */
export const QUEUE_ORDER = [desc(jobs.priority), asc(jobs.queuePosition), asc(jobs.id)] as const;

/** Deletes a job while it is queued; undefined when it is not queued (any more). */
export async function deleteQueuedJob(db: Queryable, organizationId: string, jobId: string) {
  const [row] = await db
    .delete(jobs)
    .where(queued(organizationId, jobId))
    .returning({ id: jobs.id });
  return row;
}

/**
 * Cancels a job that is in `from` (compare-and-set); undefined when it is not. The print
 * command carrying it, if still pending, never goes out.
 */
export async function cancelJobFrom(
  db: Queryable,
  organizationId: string,
  jobId: string,
  from: readonly JobStatus[],
  now: Date,
) {
  const [row] = await db
    .update(jobs)
    .set({
      status: "cancelled",
      queuePosition: null,
      waitingReason: null,
      timeCompleted: now,
      updatedAt: now,
    })
    .where(
      and(
        eq(jobs.organizationId, organizationId),
        eq(jobs.id, jobId),
        inArray(jobs.status, [...from]),
      ),
    )
    .returning();
  if (row?.commandId) {
    await db
      .update(commands)
      .set({ status: "expired", completedAt: now, error: "the job was cancelled" })
      .where(and(eq(commands.id, row.commandId), eq(commands.status, "pending")));
  }
  return row;
}

/** Puts a failed or cancelled queue job back at the bottom of the queue (attempts kept). */
export async function requeueFinishedJob(
  db: Queryable,
  organizationId: string,
  jobId: string,
  now: Date,
) {
  const [row] = await db
    .update(jobs)
    .set({
      status: "queued",
      printerId: jobs.assignedPrinterId,
      queuePosition: BOTTOM,
      waitingReason: null,
      commandId: null,
      octoprintFileName: null,
      dispatchedAt: null,
      progressPercentage: null,
      timeStarted: null,
      timeCompleted: null,
      failureReason: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(jobs.organizationId, organizationId),
        eq(jobs.id, jobId),
        inArray(jobs.status, ["failed", "cancelled"]),
        sql`${jobs.printFileId} is not null`,
      ),
    )
    .returning({ id: jobs.id });
  return row;
}

export interface PrintStart {
  organizationId: string;
  jobId: string;
  printerId: string;
  agentId: string;
  machineId: string;
  octoprintFileName: string;
  requester: { type: CommandRequester; id: string };
  now: Date;
  /** A command not taken by the agent by then expires; the job goes back to the queue. */
  expiresAt: Date;
}

/**
 * queued → processing on `printerId` with a new `print` command for its agent, in the caller's
 * transaction. Undefined when the job is no longer queued (compare-and-set). Throws the
 * database's unique violation (23505, jobs_open_per_printer_key) when the printer has a job.
 */
export async function startQueuedJob(db: Queryable, start: PrintStart) {
  const [command] = await db
    .insert(commands)
    .values({
      organizationId: start.organizationId,
      printerId: start.printerId,
      agentId: start.agentId,
      machineId: start.machineId,
      action: "print",
      status: "pending",
      requestedByType: start.requester.type,
      requestedById: start.requester.id,
      requestedAt: start.now,
      expiresAt: start.expiresAt,
      jobId: start.jobId,
    })
    .returning();
  const [job] = await db
    .update(jobs)
    .set({
      status: "processing",
      printerId: start.printerId,
      commandId: command!.id,
      octoprintFileName: start.octoprintFileName,
      dispatchedAt: start.now,
      queuePosition: null,
      waitingReason: null,
      lastError: null,
      updatedAt: start.now,
    })
    .where(queued(start.organizationId, start.jobId))
    .returning({ id: jobs.id });
  if (!job) {
    await db.delete(commands).where(eq(commands.id, command!.id));
    return undefined;
  }
  return command!;
}

/** Most transfers a job gets: after this many failures it is `failed`. */
export const MAX_ATTEMPTS = 3;

/**
 * A failed transfer of the job's current attempt (`commandId`): back to the queue with
 * `last_error` and one more attempt (its printer cleared unless it was assigned), or `failed`
 * after MAX_ATTEMPTS. Compare-and-set on the job still carrying that command in `processing`.
 */
export async function failTransfer(db: Queryable, commandId: string, error: string, now: Date) {
  return requeueOrFail(
    db,
    and(eq(jobs.commandId, commandId), eq(jobs.status, "processing")),
    error,
    now,
  );
}

/**
 * A job handed to a printer whose print did not begin there (the printer began another, or
 * OctoPrint never showed it): the same as a failed transfer, compare-and-set on the job still
 * being `processing` or `uploaded`.
 */
export async function failHandover(
  db: Queryable,
  organizationId: string,
  jobId: string,
  error: string,
  now: Date,
) {
  return requeueOrFail(
    db,
    and(
      eq(jobs.organizationId, organizationId),
      eq(jobs.id, jobId),
      inArray(jobs.status, ["processing", "uploaded"]),
    ),
    error,
    now,
  );
}

async function requeueOrFail(db: Queryable, where: SQL | undefined, error: string, now: Date) {
  const exhausted = sql`${jobs.attempts} + 1 >= ${MAX_ATTEMPTS}`;
  const [row] = await db
    .update(jobs)
    .set({
      attempts: sql`${jobs.attempts} + 1`,
      lastError: error,
      status: sql`case when ${exhausted} then 'failed' else 'queued' end`,
      printerId: sql`case when ${exhausted} then ${jobs.printerId} else ${jobs.assignedPrinterId} end`,
      queuePosition: sql`case when ${exhausted} then null else ${BOTTOM} end`,
      failureReason: sql`case when ${exhausted} then ${error} else null end`,
      timeCompleted: sql`case when ${exhausted} then ${now}::timestamptz else null end`,
      commandId: sql`case when ${exhausted} then ${jobs.commandId} else null end`,
      updatedAt: now,
    })
    .where(where)
    .returning({
      id: jobs.id,
      organizationId: jobs.organizationId,
      status: jobs.status,
      attempts: jobs.attempts,
    });
  return row;
}

/** OctoPrint has the job's file and was told to print: processing → uploaded. */
export async function markUploaded(db: Queryable, commandId: string, now: Date) {
  const [row] = await db
    .update(jobs)
    .set({ status: "uploaded", updatedAt: now })
    .where(and(eq(jobs.commandId, commandId), eq(jobs.status, "processing")))
    .returning({ id: jobs.id, organizationId: jobs.organizationId });
  return row;
}

/** The NO_RESULT error of a dispatched command nobody answered. */
export const NO_RESULT = "NO_RESULT";

/**
 * Dispatched print commands without a result since `before` become `failed` with NO_RESULT.
 * Returns them.
 */
export async function failUnansweredPrintCommands(db: Queryable, before: Date, now: Date) {
  return db
    .update(commands)
    .set({ status: "failed", error: NO_RESULT, completedAt: now })
    .where(
      and(
        eq(commands.action, "print"),
        eq(commands.status, "dispatched"),
        lte(commands.dispatchedAt, before),
      ),
    )
    .returning();
}

/** Pending print commands past their deadline expire (the agent never took them). */
export async function expireUntakenPrintCommands(db: Queryable, now: Date) {
  return db
    .update(commands)
    .set({
      status: "expired",
      completedAt: now,
      error: "not taken by the agent in time; never sent to the printer",
    })
    .where(
      and(
        eq(commands.action, "print"),
        eq(commands.status, "pending"),
        lte(commands.expiresAt, now),
      ),
    )
    .returning();
}

/**
 * Jobs still `processing` whose print command has settled (a result recorded by a request that
 * stopped before moving the job, or a command failed or expired elsewhere): the backstop of the
 * sweep. At most `limit`.
 */
export async function jobsOfSettledCommands(db: Queryable, limit: number) {
  return db
    .select({
      commandId: commands.id,
      status: commands.status,
      error: commands.error,
    })
    .from(jobs)
    .innerJoin(commands, eq(commands.id, jobs.commandId))
    .where(
      and(
        eq(jobs.status, "processing"),
        inArray(commands.status, ["acknowledged", "failed", "expired"]),
      ),
    )
    .limit(limit);
}

/**
 * A late `ok` for a print command that was failed with NO_RESULT: the print did start. The
 * command becomes acknowledged, and its job (back in the queue, or failed, and not started
 * elsewhere) is `uploaded` on that printer again, so it is not sent twice. Undefined when that
 * cannot be (the job moved on, or the printer has another job).
 */
export async function acceptLateResult(
  db: Queryable,
  agentId: string,
  commandId: string,
  octoprintStatus: number | null,
  now: Date,
) {
  const [command] = await db
    .update(commands)
    .set({ status: "acknowledged", error: null, octoprintStatus, completedAt: now })
    .where(
      and(
        eq(commands.agentId, agentId),
        eq(commands.id, commandId),
        eq(commands.action, "print"),
        eq(commands.status, "failed"),
        eq(commands.error, NO_RESULT),
      ),
    )
    .returning();
  if (!command?.jobId) return command;
  const busy = sql`exists (select 1 from jobs o where o.printer_id = ${command.printerId} and o.id <> ${command.jobId} and o.status in ('processing', 'uploaded', 'printing', 'paused'))`;
  await db
    .update(jobs)
    .set({
      status: "uploaded",
      printerId: command.printerId,
      commandId: command.id,
      queuePosition: null,
      waitingReason: null,
      failureReason: null,
      timeCompleted: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(jobs.id, command.jobId),
        inArray(jobs.status, ["queued", "failed"]),
        or(isNull(jobs.commandId), eq(jobs.commandId, command.id)),
        sql`not ${busy}`,
      ),
    );
  return command;
}

/** Records a print command's transfer progress while it is dispatched; undefined otherwise. */
export async function recordTransferProgress(
  db: Queryable,
  agentId: string,
  commandId: string,
  stage: "downloading" | "uploading",
  percent: number,
) {
  const [row] = await db
    .update(commands)
    .set({ transferStage: stage, transferPercent: percent })
    .where(
      and(
        eq(commands.agentId, agentId),
        eq(commands.id, commandId),
        eq(commands.status, "dispatched"),
      ),
    )
    .returning({
      id: commands.id,
      stage: commands.transferStage,
      percent: commands.transferPercent,
    });
  return row;
}

/** Print commands being handed to an agent: their job and the file to fetch. */
export async function describePrintCommands(db: Queryable, commandIds: readonly string[]) {
  if (commandIds.length === 0) return [];
  return db
    .select({
      commandId: commands.id,
      organizationId: commands.organizationId,
      jobId: jobs.id,
      octoprintFileName: jobs.octoprintFileName,
      printFileId: printFiles.id,
      sizeBytes: printFiles.fileSizeBytes,
      sha256: printFiles.sha256,
    })
    .from(commands)
    .innerJoin(jobs, eq(jobs.id, commands.jobId))
    .leftJoin(
      printFiles,
      and(eq(printFiles.id, jobs.printFileId), eq(printFiles.organizationId, jobs.organizationId)),
    )
    .where(inArray(commands.id, [...commandIds]));
}

/**
 * Organizations with auto_start on and something queued, and whether one of their printers may
 * take a job now as far as its row says (readyByRow): the sweep passes over those, and writes
 * every one's waiting reasons now and then. Two statements for any number of organizations:
 * probes of jobs_org_queue_order_idx and of printers_org_status_idx.
 */
export async function organizationsToDispatch(db: Queryable, now: Date) {
  const orgs = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(
        eq(organizations.autoStart, true),
        sql`exists (select 1 from jobs qj where qj.organization_id = ${organizations.id} and qj.status = 'queued')`,
      ),
    );
  if (orgs.length === 0) return [];
  const ready = await db
    .selectDistinct({ id: printers.organizationId })
    .from(printers)
    .where(
      and(
        inArray(
          printers.organizationId,
          orgs.map((o) => o.id),
        ),
        readyByRow(now),
      ),
    );
  const withReady = new Set(ready.map((r) => r.id));
  return orgs.map((o) => ({ id: o.id, ready: withReady.has(o.id) }));
}

/**
 * The organization's dispatch settings, locked against a second dispatcher until the transaction
 * ends (one statement): `busy` while another transaction holds the lock, undefined for an
 * unknown organization.
 */
export async function lockDispatch(db: Queryable, organizationId: string) {
  const [row] = await db
    .select({
      locked: sql<boolean>`pg_try_advisory_xact_lock(hashtextextended(${`apf:dispatch:${organizationId}`}, 0))`,
      autoStart: organizations.autoStart,
      startSpacingSeconds: organizations.startSpacingSeconds,
      lastAutoStartAt: organizations.lastAutoStartAt,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  if (!row) return undefined;
  const { locked, ...org } = row;
  return locked ? { busy: false as const, ...org } : { busy: true as const };
}

/** The organization's queue settings, or undefined. */
export async function queueSettings(db: Queryable, organizationId: string) {
  const [row] = await db
    .select({
      autoStart: organizations.autoStart,
      startSpacingSeconds: organizations.startSpacingSeconds,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  return row;
}

/** Records an automatic start (for start_spacing_seconds). */
export async function recordAutoStart(db: Queryable, organizationId: string, at: Date) {
  await db
    .update(organizations)
    .set({ lastAutoStartAt: at })
    .where(eq(organizations.id, organizationId));
}

/** The first `limit` queued jobs of the organization in queue order, with their file's facts. */
export async function listQueueHead(db: Queryable, organizationId: string, limit: number) {
  return db
    .select({
      id: jobs.id,
      printFileId: jobs.printFileId,
      assignedPrinterId: jobs.assignedPrinterId,
      color: jobs.color,
      filamentType: jobs.filamentType,
      materialType: jobs.materialType,
      waitingReason: jobs.waitingReason,
      fileName: printFiles.originalFilename,
      filePrinterModel: printFiles.printerModel,
      fileNozzleDiameter: printFiles.nozzleDiameter,
      fileExists: sql<boolean>`(${printFiles.id} is not null)`,
    })
    .from(jobs)
    .leftJoin(
      printFiles,
      and(eq(printFiles.id, jobs.printFileId), eq(printFiles.organizationId, jobs.organizationId)),
    )
    .where(and(eq(jobs.organizationId, organizationId), eq(jobs.status, "queued")))
    .orderBy(...QUEUE_ORDER)
    .limit(limit);
}

/** Stores each job's waiting reason where it changed (queued jobs only). */
export async function setWaitingReasons(
  db: Queryable,
  organizationId: string,
  reasons: readonly { id: string; reason: string | null }[],
) {
  if (reasons.length === 0) return;
  await db.execute(sql`
    update ${jobs} set waiting_reason = v.reason
    from (select unnest(${sql.param(reasons.map((r) => r.id))}::uuid[]) as id,
                 unnest(${sql.param(reasons.map((r) => r.reason))}::text[]) as reason) v
    where ${jobs.id} = v.id and ${jobs.organizationId} = ${organizationId}
      and ${jobs.status} = 'queued' and ${jobs.waitingReason} is distinct from v.reason`);
}

/** The queued jobs of the outer job's organization and priority (a range of the queue's index). */
const SAME_BAND = sql.raw(
  `q.organization_id = "jobs"."organization_id" and q.status = 'queued' and q.priority = "jobs"."priority"`,
);
/** The outer job's organization's queued jobs of a priority `op` the outer job's, per queue_counts. */
const countedAt = (op: ">" | ">=") =>
  sql.raw(
    `(select coalesce(sum(c.queued), 0)::int from queue_counts c where c.organization_id = "jobs"."organization_id" and c.priority ${op} "jobs"."priority")`,
  );

/**
 * The queued jobs of the band before or after the outer job. The `between` repeats what the row
 * comparison implies, as a range of queue_position: the planner cannot estimate a row comparison
 * with the outer job's values (it guesses a third of the band, and with a long queue chose to read
 * the whole jobs table for each job shown), but it knows a range is narrow, and reads the index.
 */
const BAND_AHEAD = sql.raw(
  `q.queue_position between -9223372036854775808 and "jobs"."queue_position" and (q.queue_position, q.id) < ("jobs"."queue_position", "jobs"."id")`,
);
const BAND_BEHIND = sql.raw(
  `q.queue_position between "jobs"."queue_position" and 9223372036854775807 and (q.queue_position, q.id) > ("jobs"."queue_position", "jobs"."id")`,
);

/**
 * Where a queued job stands: 1-based among the organization's queued jobs, null otherwise. Jobs of
 * a higher priority come from queue_counts; within its own priority, whichever side of the job
 * looks shorter is counted on jobs_org_queue_order_idx: the jobs ahead of one near the top (a
 * page of GET /jobs?status=queued), or, for one near the bottom (a job just queued), every job
 * of its priority (queue_counts) less those behind it. Either is a short index range at the two
 * ends of a long queue, where counting everything ahead would read it all.
 */
export const queuePlace: SQL<number | null> = sql<
  number | null
>`(case when "jobs"."status" = 'queued' then
  case when "jobs"."queue_position" - (select q.queue_position from jobs q where ${SAME_BAND} order by q.queue_position, q.id limit 1)
         <= (select q.queue_position from jobs q where ${SAME_BAND} order by q.queue_position desc, q.id desc limit 1) - "jobs"."queue_position"
    then 1 + ${countedAt(">")}
      + (select count(*)::int from jobs q where ${SAME_BAND} and ${BAND_AHEAD})
    else ${countedAt(">=")}
      - (select count(*)::int from jobs q where ${SAME_BAND} and ${BAND_BEHIND})
  end end)`;

/** One command by id (the queue's own reads, below any organization check). */
export async function findPrintCommand(db: Queryable, commandId: string) {
  const [row] = await db.select().from(commands).where(eq(commands.id, commandId)).limit(1);
  return row;
}

/** Fails a command that was just marked dispatched and must not leave (its file is gone). */
export async function failDispatchedCommand(
  db: Queryable,
  commandId: string,
  error: string,
  now: Date,
) {
  await db
    .update(commands)
    .set({ status: "failed", error, completedAt: now })
    .where(and(eq(commands.id, commandId), eq(commands.status, "dispatched")));
}
