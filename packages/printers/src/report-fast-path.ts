// A cheap check that a report body is one `agentReportSchema` accepts as it is. It only says yes
// where zod would say yes and hand back an equal value; anything else (an error, an unknown key
// of our envelope that zod would drop, an unusual shape) is left to zod, which then decides and
// words the issues. Kept in step with report-schema.ts and octoprint/schemas.ts by the agreement
// property test (test/report-fast-path.test.ts).
import { z } from "zod";
import { FORBIDDEN_CONTROL } from "./control-characters.ts";
import { isHeaterKey } from "./octoprint/schemas.ts";
import {
  EARLIEST_REPORT_DATE,
  MAX_HEATERS_PER_PRINTER,
  MAX_MACHINES_PER_REPORT,
} from "./report-limits.ts";
import type { AgentReport } from "./report-schema.ts";

type Json = Record<string, unknown>;

/** A plain object as JSON.parse makes it (zod accepts more; those go to zod). */
function isPlainObject(value: unknown): value is Json {
  if (typeof value !== "object" || value === null) return false;
  return Object.getPrototypeOf(value) === Object.prototype;
}

function hasExactly(value: Json, keys: readonly string[]): boolean {
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    count++;
  }
  if (count !== keys.length) return false;
  for (const key of keys) if (!Object.hasOwn(value, key)) return false;
  return true;
}

const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
const isNumberOrNull = (value: unknown) => value === null || isNumber(value);
const optionalNumberOrNull = (value: unknown) => value === undefined || isNumberOrNull(value);
const optionalString = (value: unknown) => value === undefined || typeof value === "string";
const optionalStringOrNull = (value: unknown) => value === null || optionalString(value);
const optionalBoolean = (value: unknown) => value === undefined || typeof value === "boolean";

const CONTROL = /\p{Cc}/u;

const textOf = (value: unknown, min: number, max: number) =>
  typeof value === "string" && value.length >= min && value.length <= max;
const plainTextOf = (value: unknown, min: number, max: number) =>
  textOf(value, min, max) && !CONTROL.test(value as string);

/**
 * No forbidden control character in any string or key, however deep, and no `__proto__` key
 * (zod's copy of a loose object would not keep one).
 */
function cleanJson(node: unknown): boolean {
  if (typeof node === "string") return !FORBIDDEN_CONTROL.test(node);
  if (node === null || typeof node !== "object") return true;
  if (Array.isArray(node)) {
    for (const item of node) if (!cleanJson(item)) return false;
    return true;
  }
  if (!isPlainObject(node)) return false;
  for (const key in node) {
    if (key === "__proto__" || FORBIDDEN_CONTROL.test(key) || !cleanJson(node[key])) return false;
  }
  return true;
}

const isoDateTime = z.iso.datetime({ offset: true });
/** Reports carry the same few timestamps over and over: each distinct one is checked once. */
let lastDate = "";
function isReportDate(value: unknown): boolean {
  if (typeof value !== "string") return false;
  if (value === lastDate) return true;
  if (!isoDateTime.safeParse(value).success || new Date(value) < EARLIEST_REPORT_DATE) return false;
  lastDate = value;
  return true;
}

function isHeater(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    isNumberOrNull(value.actual) &&
    optionalNumberOrNull(value.target) &&
    optionalNumberOrNull(value.offset)
  );
}

function isTemperature(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let heaters = 0;
  for (const key in value) {
    if (!isHeaterKey(key)) continue;
    if (!isHeater(value[key])) return false;
    heaters++;
  }
  return heaters <= MAX_HEATERS_PER_PRINTER;
}

const FLAGS = [
  "operational",
  "printing",
  "paused",
  "pausing",
  "cancelling",
  "resuming",
  "finishing",
  "sdReady",
  "error",
  "ready",
  "closedOrError",
] as const;

function isPrinterState(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  if (typeof value.text !== "string" || !optionalStringOrNull(value.error)) return false;
  const flags = value.flags;
  if (!isPlainObject(flags)) return false;
  for (const flag of FLAGS) if (!optionalBoolean(flags[flag])) return false;
  return true;
}

function isPrinter(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  if (value.temperature !== undefined && !isTemperature(value.temperature)) return false;
  const sd = value.sd;
  if (sd !== undefined && !(isPlainObject(sd) && optionalBoolean(sd.ready))) return false;
  return value.state === undefined || isPrinterState(value.state);
}

function isJobFile(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  return (
    isPlainObject(value) &&
    optionalStringOrNull(value.name) &&
    optionalStringOrNull(value.path) &&
    optionalStringOrNull(value.display) &&
    optionalStringOrNull(value.origin) &&
    optionalNumberOrNull(value.size) &&
    optionalNumberOrNull(value.date)
  );
}

function isJob(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  if (typeof value.state !== "string" || !optionalStringOrNull(value.error)) return false;
  const job = value.job;
  const progress = value.progress;
  return (
    isPlainObject(job) &&
    isJobFile(job.file) &&
    optionalNumberOrNull(job.estimatedPrintTime) &&
    optionalNumberOrNull(job.averagePrintTime) &&
    optionalNumberOrNull(job.lastPrintTime) &&
    optionalStringOrNull(job.user) &&
    isPlainObject(progress) &&
    optionalNumberOrNull(progress.completion) &&
    optionalNumberOrNull(progress.filepos) &&
    optionalNumberOrNull(progress.printTime) &&
    optionalNumberOrNull(progress.printTimeLeft) &&
    optionalStringOrNull(progress.printTimeLeftOrigin)
  );
}

function isVersion(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    typeof value.api === "string" &&
    typeof value.server === "string" &&
    optionalString(value.text)
  );
}

const isHttpStatus = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599;

const OBSERVATION_KEYS = ["version", "printer_http_status", "printer", "job", "filament"] as const;

function isObservation(value: unknown): boolean {
  if (!isPlainObject(value) || !hasExactly(value, OBSERVATION_KEYS)) return false;
  const status = value.printer_http_status;
  return (
    (value.version === null || isVersion(value.version)) &&
    (status === null || isHttpStatus(status)) &&
    (value.printer === null || isPrinter(value.printer)) &&
    (value.job === null || isJob(value.job)) &&
    (value.filament === null || Array.isArray(value.filament))
  );
}

const MACHINE_KEYS = [
  "machine_id",
  "name",
  "type",
  "url",
  "observed_at",
  "reachable",
  "error",
  "octoprint",
] as const;

function isMachine(value: unknown): boolean {
  if (!isPlainObject(value) || !hasExactly(value, MACHINE_KEYS)) return false;
  return (
    plainTextOf(value.machine_id, 1, 200) &&
    plainTextOf(value.name, 1, 200) &&
    value.type === "OCTOPRINT" &&
    plainTextOf(value.url, 1, 2048) &&
    isReportDate(value.observed_at) &&
    typeof value.reachable === "boolean" &&
    (value.error === null || textOf(value.error, 0, 500)) &&
    (value.octoprint === null || isObservation(value.octoprint))
  );
}

/**
 * What in a JSON text can put into its parsed value a lone surrogate, a forbidden control
 * character or a `__proto__` key: a `\u`, `\b` or `\f` escape, a raw surrogate, DEL or C1
 * control, the key itself (raw C0 controls are no valid JSON). A harmless match (an escaped
 * backslash before a "u", an emoji's surrogate pair) only means the parsed value is walked.
 */
const MAYBE_UNCLEAN = /\\[ubf]|[\ud800-\udfff\x7f-\x9f]|__proto__/;

/**
 * True when the value JSON.parse makes of `text` holds no lone surrogate, no forbidden control
 * character and no `__proto__` key, so neither `replaceLoneSurrogates` nor `acceptedAsIs`'s
 * walk over every string would find anything: one scan of the text instead.
 */
export function plainJsonText(text: string): boolean {
  return !MAYBE_UNCLEAN.test(text);
}

const REPORT_KEYS = ["agent", "sent_at", "machines"] as const;
const AGENT_KEYS = ["version", "hostname"] as const;

/**
 * The body itself, typed, when `agentReportSchema` would accept it and parse it to an equal
 * value; null when zod has to decide (which includes every invalid body). `plainText`: the body
 * was parsed from a text `plainJsonText` passed, so its strings and keys need no look.
 */
export function acceptedAsIs(body: unknown, plainText = false): AgentReport | null {
  if (!isPlainObject(body) || !hasExactly(body, REPORT_KEYS)) return null;
  const agent = body.agent;
  if (!isPlainObject(agent) || !hasExactly(agent, AGENT_KEYS)) return null;
  if (!textOf(agent.version, 1, 50) || !textOf(agent.hostname, 1, 255)) return null;
  if (!isReportDate(body.sent_at)) return null;
  const machines = body.machines;
  if (!Array.isArray(machines) || machines.length > MAX_MACHINES_PER_REPORT) return null;
  const ids = new Set<unknown>();
  for (const machine of machines) {
    if (!isMachine(machine)) return null;
    ids.add((machine as Json).machine_id);
  }
  if (ids.size !== machines.length || !(plainText || cleanJson(body))) return null;
  return body as AgentReport;
}
