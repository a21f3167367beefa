import type { Transaction } from "@apf/db";
import type { JobUpdate } from "@apf/db/queries/ingest";
import type { TaskRow } from "@apf/db/queries/tasks";
import type { PrinterFreshness, PrinterStatus } from "@apf/domain";
import { SYSTEM_ACTOR } from "../audit/audit.ts";
import {
  agentEvent,
  jobEvents,
  jobStatusEventType,
  printerStatusEvents,
  printerUpdatedEvents,
  taskEvent,
} from "./data.ts";
import { type ChangeEvent, recordChange } from "./record-change.ts";

/**
 * Bench only: APF_BENCH_INGEST_EVENTS=off leaves agent reports' events out (no reads for their
 * data, no rows, nothing for the relay), so `npm run bench` can measure what the event log costs
 * ingestion (scripts/bench/run.ts starts a second API with it). Read here and nowhere else; not
 * part of the service's configuration (env.ts): a deployment never sets it.
 */
const INGEST_EVENTS = process.env.APF_BENCH_INGEST_EVENTS !== "off";

/** What one agent report changed that integrators hear about. */
export interface IngestChanges {
  agentConnected: boolean;
  /** Printers whose announced status the report changed (not in maintenance). */
  statusChanged: { id: string; previous: PrinterStatus }[];
  /** Printers whose live readings are due for a printer.updated. */
  readingsChanged: string[];
  /** Handed-over jobs that did not begin: back in the queue, or failed after the last attempt. */
  requeued: { id: string; status: string }[];
  /** Jobs that began printing. */
  started: string[];
  /** Jobs updated (progress) or ended. */
  updates: JobUpdate[];
  /** Jobs whose progress passed a tenth. */
  progressed: string[];
  tasks: TaskRow[];
  freshness: PrinterFreshness;
}

/**
 * The events of one agent report, in its transaction: what changed a status (a printer's, a
 * job's, the agent's), a job's progress by tenths, tasks created, and a printer's live readings
 * at most once per 5 s of observations (printer.updated, one read for all such printers).
 * Returns the number of events recorded.
 */
export async function recordIngestEvents(
  tx: Transaction,
  agent: { agentId: string; organizationId: string },
  changes: IngestChanges,
): Promise<number> {
  if (!INGEST_EVENTS) return 0;
  const org = agent.organizationId;
  const events: ChangeEvent[] = [];
  if (changes.agentConnected) {
    events.push(await agentEvent(changes.freshness, tx, org, agent.agentId, "agent.connected"));
  }
  events.push(...(await printerStatusEvents(tx, org, changes.statusChanged, changes.freshness)));
  // A status change carries the same readings: no printer.updated beside it.
  const announced = new Set(changes.statusChanged.map((p) => p.id));
  events.push(
    ...(await printerUpdatedEvents(
      tx,
      org,
      changes.readingsChanged.filter((id) => !announced.has(id)),
      changes.freshness,
    )),
  );
  const jobChanges: Parameters<typeof jobEvents>[2][number][] = [];
  for (const r of changes.requeued) {
    const type = jobStatusEventType(r.status);
    if (type) jobChanges.push({ jobId: r.id, type });
  }
  for (const id of changes.started) jobChanges.push({ jobId: id, type: "job.started" });
  for (const u of changes.updates) {
    const type = u.timeCompleted !== null ? jobStatusEventType(u.status) : null;
    if (type) jobChanges.push({ jobId: u.id, type });
  }
  for (const id of changes.progressed) jobChanges.push({ jobId: id, type: "job.progress" });
  events.push(...(await jobEvents(tx, org, jobChanges)));
  for (const task of changes.tasks) events.push(taskEvent("worklist.task_created", task));
  if (events.length > 0) await recordChange(tx, SYSTEM_ACTOR, { organizationId: org, events });
  return events.length;
}
