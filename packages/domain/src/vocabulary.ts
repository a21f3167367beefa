/**
 * The words the whole product shares, declared once. The API, the agent, the database schema,
 * the OpenAPI documents and (through the generated client) the dashboard import them from here.
 */

/** A printer's status as the agent observes it (OctoPrint's state flags, see @apf/printers). */
export const PRINTER_STATUSES = [
  "idle",
  "printing",
  "paused",
  "pausing",
  "cancelling",
  "error",
  "offline",
] as const;
export type PrinterStatus = (typeof PRINTER_STATUSES)[number];

/** What a printer reads on every surface: the observed status, or `maintenance` over it. */
export const PRINTER_VIEW_STATUSES = [...PRINTER_STATUSES, "maintenance"] as const;
export type PrinterViewStatus = (typeof PRINTER_VIEW_STATUSES)[number];

/**
 * A print job's status. `processing`: the agent is fetching the file and handing it to OctoPrint;
 * `uploaded`: OctoPrint has it and was told to print; the rest follow OctoPrint's job states.
 */
export const JOB_STATUSES = [
  "queued",
  "processing",
  "uploaded",
  "printing",
  "paused",
  "completed",
  "failed",
  "cancelled",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** True for a job status the product knows. */
export function isJobStatus(value: string): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value);
}

/** Job statuses while a job holds its printer, from dispatch to its end (one per printer). */
export const OPEN_JOB_STATUSES = [
  "processing",
  "uploaded",
  "printing",
  "paused",
] as const satisfies readonly JobStatus[];
export type OpenJobStatus = (typeof OPEN_JOB_STATUSES)[number];

/** Job statuses after which nothing more happens to the job. */
export const FINISHED_JOB_STATUSES = ["completed", "failed", "cancelled"] as const;
export type FinishedJobStatus = (typeof FINISHED_JOB_STATUSES)[number];

/** Physical commands a printer's agent carries (clear_bed is recorded by the backend itself). */
export const COMMAND_ACTIONS = ["pause", "resume", "stop", "clear_bed", "print"] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

/** The actions a person or a key may ask for through the control routes (print goes through the queue). */
export const CONTROL_ACTIONS = ["pause", "resume", "stop", "clear_bed"] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export const COMMAND_STATUSES = [
  "pending",
  "dispatched",
  "acknowledged",
  "failed",
  "expired",
] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** What a control request answers while or once its command is carried out (not failed, expired). */
export const CONTROL_ANSWER_STATUSES = [
  "acknowledged",
  "dispatched",
  "pending",
] as const satisfies readonly CommandStatus[];
export type ControlAnswerStatus = (typeof CONTROL_ANSWER_STATUSES)[number];

/** Stages of a print command's file transfer, as the agent reports them. */
export const TRANSFER_STAGES = ["downloading", "uploading"] as const;
export type TransferStage = (typeof TRANSFER_STAGES)[number];

/** A worklist task's kind (AutoPrintFarm's values). */
export const TASK_TYPES = [
  "collection",
  "assembly",
  "filament_change",
  "maintenance",
  "quality_check",
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ["pending", "in_progress", "completed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A SKU's stock against its low-stock threshold (an item without a threshold is never low). */
export const STOCK_LEVELS = ["in_stock", "low_stock", "out_of_stock"] as const;
export type StockLevel = (typeof STOCK_LEVELS)[number];

/** A stock line's status: its level, or `needs_assembly` for a kit with none in stock whose parts on hand make one. */
export const STOCK_STATUSES = [...STOCK_LEVELS, "needs_assembly"] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

/** A filament spool's status. */
export const SPOOL_STATUSES = ["available", "in_use", "low", "empty", "archived"] as const;
export type SpoolStatus = (typeof SPOOL_STATUSES)[number];

/** File extensions OctoPrint prints (G-code); anything else is refused at upload. */
export const PRINTABLE_EXTENSIONS = [".gcode", ".gco", ".g"] as const;

/** True for the actions of the control routes (not `print`, which only the queue sends). */
export function isControlAction(action: string): action is ControlAction {
  return (CONTROL_ACTIONS as readonly string[]).includes(action);
}

/**
 * What the event log records (docs/events.md gives each one's `data`). Webhooks, the stream and
 * the list all carry these; `ping` is only ever sent to a webhook endpoint by its test route.
 */
export const EVENT_TYPES = [
  "printer.status_changed",
  "printer.updated",
  "printer.bed_cleared",
  "job.queued",
  "job.started",
  "job.progress",
  "job.completed",
  "job.failed",
  "job.cancelled",
  "command.completed",
  "inventory.low_stock",
  "worklist.task_created",
  "worklist.task_completed",
  "agent.connected",
  "agent.disconnected",
  "api_key.revoked",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Sent to webhooks only when an endpoint names them (live-board chatter, for streams). */
export const WEBHOOK_OPT_IN_EVENT_TYPES = [
  "printer.updated",
] as const satisfies readonly EventType[];

/** True for an event type the product knows. */
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
