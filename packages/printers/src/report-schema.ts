import { z } from "zod";
import { FORBIDDEN_CONTROL } from "./control-characters.ts";
import {
  filamentListSchema,
  isHeaterKey,
  jobResponseSchema,
  printerResponseSchema,
  versionResponseSchema,
} from "./octoprint/schemas.ts";
import { acceptedAsIs } from "./report-fast-path.ts";
import {
  EARLIEST_REPORT_DATE,
  MAX_HEATERS_PER_PRINTER,
  MAX_MACHINES_PER_REPORT,
} from "./report-limits.ts";
import { replaceLoneSurrogates } from "./well-formed-text.ts";

export {
  EARLIEST_REPORT_DATE,
  MAX_HEATERS_PER_PRINTER,
  MAX_MACHINES_PER_REPORT,
  MAX_PRINTERS_PER_AGENT,
  MAX_REPORT_BYTES,
} from "./report-limits.ts";

const isoDateTime = z.iso.datetime({ offset: true }).refine(
  // (an unparseable value already has its format issue)
  (value) => !(new Date(value) < EARLIEST_REPORT_DATE),
  "must not be before 2000-01-01",
);

/** What the agent saw of OctoPrint on one host; the embedded bodies are OctoPrint's own. */
export const octoprintObservationSchema = z
  .object({
    version: versionResponseSchema.nullable(),
    printer_http_status: z.number().int().min(100).max(599).nullable(),
    printer: printerResponseSchema.nullable(),
    job: jobResponseSchema.nullable(),
    filament: filamentListSchema.nullable(),
  })
  .superRefine((observation, ctx) => {
    const temperature = observation.printer?.temperature;
    if (!temperature) return;
    const heaters = Object.keys(temperature).filter(isHeaterKey).length;
    if (heaters > MAX_HEATERS_PER_PRINTER) {
      ctx.addIssue({
        code: "custom",
        path: ["printer", "temperature"],
        message: `at most ${MAX_HEATERS_PER_PRINTER} heaters per printer (got ${heaters})`,
      });
    }
  });

/** One machine of a report (agent.md, "Reporting to the backend"). */
/** Text we store as it is: no control characters (Postgres text cannot hold NUL). */
const plainText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^\P{Cc}*$/u, "must not contain control characters");

export const machineReportSchema = z.object({
  machine_id: plainText(1, 200),
  name: plainText(1, 200),
  type: z.literal("OCTOPRINT"),
  url: plainText(1, 2048),
  observed_at: isoDateTime,
  reachable: z.boolean(),
  error: z.string().max(500).nullable(),
  octoprint: octoprintObservationSchema.nullable(),
});
export type MachineReport = z.infer<typeof machineReportSchema>;

/**
 * Body of `POST /agent/v1/reports`. Unknown keys of our own envelope are dropped (a newer agent
 * stays accepted); OctoPrint's bodies keep theirs. A machine id may appear once per report.
 */
export const agentReportSchema = z
  .object({
    agent: z.object({
      version: z.string().min(1).max(50),
      hostname: z.string().min(1).max(255),
    }),
    sent_at: isoDateTime,
    machines: z.array(machineReportSchema).max(MAX_MACHINES_PER_REPORT),
  })
  .superRefine((report, ctx) => {
    const seen = new Map<string, number>();
    report.machines.forEach((machine, index) => {
      const first = seen.get(machine.machine_id);
      if (first === undefined) {
        seen.set(machine.machine_id, index);
        return;
      }
      ctx.addIssue({
        code: "custom",
        path: ["machines", index, "machine_id"],
        message: `duplicate machine_id, already at machines.${first}`,
      });
    });
    for (const path of findControlCharacters(report)) {
      ctx.addIssue({ code: "custom", path, message: "must not contain control characters" });
    }
  });
export type AgentReport = z.infer<typeof agentReportSchema>;

/**
 * Dotted path of a zod issue, e.g. `machines.3.octoprint.printer.temperature.tool0.actual`;
 * an empty string for an issue about the whole body.
 */
export function formatZodIssuePath(issue: { path: ReadonlyArray<PropertyKey> }): string {
  return issue.path
    .map((part) => (typeof part === "symbol" ? part.toString() : String(part)))
    .join(".");
}

/** One problem of a rejected report, ready for a 400 answer. */
export interface ReportIssue {
  path: string;
  /** The index in `machines` of the machine the issue is about; null for the report itself. */
  machineIndex: number | null;
  message: string;
}

/** True when a string anywhere in the value (or a key) holds a forbidden control character. */
function holdsControlCharacter(node: unknown): boolean {
  if (typeof node === "string") return FORBIDDEN_CONTROL.test(node);
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) {
    for (const item of node) if (holdsControlCharacter(item)) return true;
    return false;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) {
    if (FORBIDDEN_CONTROL.test(key) || holdsControlCharacter(record[key])) return true;
  }
  return false;
}

/**
 * Where in a JSON value the first few strings with a forbidden control character are. A clean
 * value (every accepted report) is scanned once without building a path.
 */
export function findControlCharacters(value: unknown, limit = 10): (string | number)[][] {
  if (!holdsControlCharacter(value)) return [];
  const found: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (found.length >= limit) return;
    if (typeof node === "string") {
      if (FORBIDDEN_CONTROL.test(node)) found.push(path);
      return;
    }
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, [...path, index]);
      return;
    }
    if (node && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        if (FORBIDDEN_CONTROL.test(key)) found.push([...path, key]);
        walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
  return found.slice(0, limit);
}

/** The index in `machines` of the machine a zod issue's path points into; null for the report. */
export function reportMachineIndex(path: ReadonlyArray<PropertyKey>): number | null {
  return path[0] === "machines" && typeof path[1] === "number" ? path[1] : null;
}

function reportIssue(path: ReadonlyArray<PropertyKey>, message: string): ReportIssue {
  return {
    path: formatZodIssuePath({ path }),
    message,
    machineIndex: reportMachineIndex(path),
  };
}

/**
 * Parses a report body; on failure returns every issue with its dotted path, nothing applied.
 * Lone surrogates become U+FFFD first (`replaceLoneSurrogates`): one host's non-UTF-8 file name
 * never costs the farm its report.
 */
export function parseAgentReport(
  raw: unknown,
): { success: true; data: AgentReport } | { success: false; issues: ReportIssue[] } {
  // The fast path takes no body with a lone surrogate: the usual body is walked once.
  const asIs = acceptedAsIs(raw);
  if (asIs) return { success: true, data: asIs };
  const parsed = agentReportSchema.safeParse(replaceLoneSurrogates(raw));
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    issues: parsed.error.issues.map((issue) => reportIssue(issue.path, issue.message)),
  };
}
