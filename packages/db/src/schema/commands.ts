import { COMMAND_ACTIONS, COMMAND_STATUSES, TRANSFER_STAGES } from "@apf/domain";
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { id, instant } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { printers } from "./printers.ts";

export {
  COMMAND_ACTIONS,
  COMMAND_STATUSES,
  type CommandAction,
  type CommandStatus,
} from "@apf/domain";

/** Who asked for a command: an API key, a dashboard user, or the queue's dispatcher (system). */
export const COMMAND_REQUESTERS = ["api_key", "user", "system"] as const;
export type CommandRequester = (typeof COMMAND_REQUESTERS)[number];

/**
 * A physical command for one printer, carried by the printer's agent. A row moves
 * pending → dispatched (once, atomically, when an agent's long poll takes it) → acknowledged or
 * failed; or pending → expired when no agent took it before `expires_at`.
 */
export const commands = pgTable(
  "commands",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    printerId: uuid("printer_id")
      .notNull()
      .references(() => printers.id, { onDelete: "cascade" }),
    /** The agent that carries it; null for commands the backend carries out itself (clear_bed). */
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "cascade" }),
    /** The agent's id of the machine, as the agent knows it. */
    machineId: text("machine_id"),
    action: text("action", { enum: COMMAND_ACTIONS }).notNull(),
    status: text("status", { enum: COMMAND_STATUSES }).notNull(),
    requestedByType: text("requested_by_type", { enum: COMMAND_REQUESTERS }).notNull(),
    requestedById: text("requested_by_id").notNull(),
    requestedAt: instant("requested_at").notNull(),
    /** Not delivered by then: never delivered. */
    expiresAt: instant("expires_at").notNull(),
    dispatchedAt: instant("dispatched_at"),
    completedAt: instant("completed_at"),
    error: text("error"),
    octoprintStatus: integer("octoprint_status"),
    /** The queued job a `print` command starts. */
    jobId: uuid("job_id"),
    /** A print command's transfer, as the agent last reported it. */
    transferStage: text("transfer_stage", { enum: TRANSFER_STAGES }),
    transferPercent: integer("transfer_percent"),
  },
  (t) => [
    index("commands_agent_status_idx").on(t.agentId, t.status, t.requestedAt),
    index("commands_org_requested_idx").on(t.organizationId, t.requestedAt),
    /** The queue's sweep: print commands dispatched and never answered… */
    index("commands_print_dispatched_idx")
      .on(t.dispatchedAt)
      .where(sql`${t.action} = 'print' and ${t.status} = 'dispatched'`),
    /** …and print commands no agent took before their deadline. */
    index("commands_print_pending_idx")
      .on(t.expiresAt)
      .where(sql`${t.action} = 'print' and ${t.status} = 'pending'`),
  ],
);

/**
 * An agent's open command channel (one per long poll in flight, on any API instance). The agent
 * counts as connected while one of its rows is open; rows of a crashed instance lapse on their own.
 */
export const commandChannels = pgTable(
  "command_channels",
  {
    id: id(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    openUntil: instant("open_until").notNull(),
  },
  (t) => [index("command_channels_agent_idx").on(t.agentId, t.openUntil)],
);

/** A stored answer to a request that carried an Idempotency-Key, kept 24 hours. */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Whose key space: `api_key:<id>` or `user:<id>`. */
    principal: text("principal").notNull(),
    /** The operation (route) the key was used on: a key answers only there. */
    operation: text("operation").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of the operation and its body: the same key with another body is refused. */
    requestHash: text("request_hash").notNull(),
    /**
     * The HTTP status of the first answer, as records written before the answer's body alone
     * said it; no longer written (the API derives the status from the body). The release before
     * this one still selects it (drizzle lists every column): dropping it now would break those
     * instances during a rolling update, so it goes in the release after this one.
     */
    responseStatus: integer("response_status"),
    /** The first request's answer or refusal; null while it is still being answered. */
    responseBody: jsonb("response_body").$type<unknown>(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  // A key's answer belongs to one organization, one principal and one operation: replayed
  // elsewhere (another organization's route after a removal, another route) it is a new key.
  (t) => [
    uniqueIndex("idempotency_records_org_principal_operation_key").on(
      t.organizationId,
      t.principal,
      t.operation,
      t.key,
    ),
  ],
);
