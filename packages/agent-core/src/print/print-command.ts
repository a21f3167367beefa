import { PRINTABLE_EXTENSIONS } from "@apf/domain";
import type { AgentCommand } from "../api/agent-client.ts";

/**
 * The file of a `print` command, as the backend hands it over: `name` to store on OctoPrint
 * (without folder), `size_bytes`, `sha256` (lowercase hex once read) and `url`, the signed link to
 * download it from (relative to the backend, or absolute on the backend's origin).
 */
export type PrintFile = NonNullable<AgentCommand["file"]>;

/** A `print` command whose fields were checked, with its download URL resolved. */
export interface PrintOrder {
  jobId: string;
  file: PrintFile;
  downloadUrl: URL;
}

const SHA256 = /^[0-9a-f]{64}$/;
// One path segment a person at the printer can read: no folders, quotes or control characters.
const UNSAFE_NAME = /[/\\"\p{Cc}]/u;

/**
 * Reads the `job_id` and `file` of a print command. Every problem is one sentence naming the
 * field. The download URL must be on the backend's origin: the agent token is sent with it.
 */
export function readPrintOrder(
  command: { job_id?: unknown; file?: unknown },
  apiUrl: string,
): { ok: true; order: PrintOrder } | { ok: false; error: string } {
  const fail = (error: string) => ({
    ok: false as const,
    error: `invalid print command: ${error}`,
  });
  if (typeof command.job_id !== "string" || command.job_id.trim() === "")
    return fail("job_id must be a non-empty string");
  const file = command.file as Record<string, unknown> | null | undefined;
  if (typeof file !== "object" || file === null) return fail("file must be an object");
  const { name, size_bytes, sha256, url } = file;
  if (typeof name !== "string" || name.length === 0 || name.length > 255)
    return fail("file.name must be a file name of 1 to 255 characters");
  if (UNSAFE_NAME.test(name) || name === "." || name === "..")
    return fail("file.name must be one file name without folders, quotes or control characters");
  const lower = name.toLowerCase();
  if (!PRINTABLE_EXTENSIONS.some((ext) => lower.endsWith(ext)))
    return fail(`file.name must end with ${PRINTABLE_EXTENSIONS.join(", ")}`);
  if (typeof size_bytes !== "number" || !Number.isSafeInteger(size_bytes) || size_bytes < 0)
    return fail("file.size_bytes must be a whole number of bytes");
  if (typeof sha256 !== "string" || !SHA256.test(sha256.toLowerCase()))
    return fail("file.sha256 must be 64 hexadecimal characters");
  if (typeof url !== "string" || url.length === 0) return fail("file.url must be a URL");
  let downloadUrl: URL;
  const backend = new URL(`${apiUrl.replace(/\/+$/, "")}/`);
  try {
    downloadUrl = new URL(url.startsWith("/") ? `.${url}` : url, backend);
  } catch {
    return fail("file.url is not a URL");
  }
  if (downloadUrl.origin !== backend.origin)
    return fail(`file.url must be on the backend (${backend.origin}), not ${downloadUrl.origin}`);
  return {
    ok: true,
    order: {
      jobId: command.job_id,
      file: { name, size_bytes, sha256: sha256.toLowerCase(), url },
      downloadUrl,
    },
  };
}
