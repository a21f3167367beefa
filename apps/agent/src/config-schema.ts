import { isHttpUrl } from "@apf/agent-core/machine-identity";
import { type ZodType, z } from "zod";

// Both schemas are loose: aggregator files carry mes_id and other fields we must ignore.

const httpUrl = z.string().refine(isHttpUrl, "must be an http:// or https:// URL");
const nonEmpty = z.string().trim().min(1);

/** Top level of agent.json; `machines` entries are checked one by one to name the entry. */
export const agentFileSchema = z.looseObject({
  api_url: httpUrl,
  agent_token: nonEmpty.optional(),
  agent_token_file: nonEmpty.optional(),
  poll_interval_s: z.number().min(1).default(5),
  request_timeout_s: z.number().min(0.1).max(300).default(5),
  machines: z.array(z.unknown()).min(1),
  file_cache_dir: nonEmpty.optional(),
  file_cache_mb: z.number().int().min(1).max(1_048_576).optional(),
});
export type AgentFile = z.infer<typeof agentFileSchema>;

/** One `machines[]` entry, in the per-machine format of MES aggregators. */
export const machineEntrySchema = z.looseObject({
  type: z.string(),
  url: httpUrl,
  custom_name: nonEmpty.nullish(),
  authentication_file_path: nonEmpty.nullish(),
  api_key: nonEmpty.nullish(),
});
export type MachineEntry = z.infer<typeof machineEntrySchema>;

type Issue = z.core.$ZodIssue;

/** One issue as `field: what is wrong`; input values are never echoed (they may be secrets). */
export function describeIssue(issue: Issue): { field: string; message: string } {
  const field = issue.path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
    )
    .join("");
  return { field: field || "(top level)", message: issueMessage(issue) };
}

function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      if (!("input" in issue) || issue.input === undefined) return "is required";
      return `must be ${issue.expected === "array" ? "an array" : `a ${issue.expected}`}`;
    case "too_small":
      if (issue.origin === "array") return `must list at least ${issue.minimum} entry`;
      if (issue.origin === "string") return "must not be empty";
      return `must be at least ${issue.minimum}`;
    case "too_big":
      return `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

/** Parses `value` with `schema`, or returns the first issue described. */
export function parseWith<T>(
  schema: ZodType<T>,
  value: unknown,
): { ok: true; data: T } | { ok: false; field: string; message: string } {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, data: parsed.data };
  const first = parsed.error.issues[0];
  if (!first) return { ok: false, field: "(top level)", message: "is invalid" };
  return { ok: false, ...describeIssue(first) };
}
