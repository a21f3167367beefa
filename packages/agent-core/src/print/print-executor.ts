import type { FileHandle } from "node:fs/promises";
import type { Logger } from "pino";
import type { MachineConfig } from "../agent-config.ts";
import type { CommandOutcome } from "../command-executor.ts";
import type { SecretProvider } from "../secret-provider.ts";
import { downloadFile } from "./download.ts";
import type { FileCache } from "./file-cache.ts";
import { uploadToOctoPrint } from "./octoprint-upload.ts";
import { readPrintOrder } from "./print-command.ts";
import type { ProgressSink } from "./progress.ts";

/** What the agent tells the backend a command came to. */
export type PrintOutcome = CommandOutcome;

/** Options of {@link createPrintExecutor}. */
export interface PrintExecutorOptions {
  apiUrl: string;
  agentToken: SecretProvider;
  userAgent: string;
  /** Opened lazily on the first print, so an agent that never prints never touches the disk. */
  fileCache: () => Promise<FileCache>;
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  /** A transfer that makes no progress for this long fails; default 60 s. */
  stallMs?: number;
}

/** Carries out one `print` command on `machine`; never throws. */
export type PrintExecutor = (
  command: { id: string; job_id?: unknown; file?: unknown },
  machine: MachineConfig,
  progress: ProgressSink,
) => Promise<PrintOutcome>;

/**
 * Builds the executor of `print`: the file from the cache (by SHA-256) or downloaded from the
 * backend to the cache, then `POST /api/files/local` to the machine's OctoPrint into `apf/`,
 * selected and started. Every failure says what failed in words the dashboard can show.
 */
export function createPrintExecutor(options: PrintExecutorOptions): PrintExecutor {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const stallMs = options.stallMs ?? 60_000;
  const { logger } = options;

  return async (command, machine, progress) => {
    const read = readPrintOrder(command, options.apiUrl);
    if (!read.ok) return { ok: false, octoprint_status: null, error: read.error };
    const { file, jobId, downloadUrl } = read.order;
    const fields = {
      command_id: command.id,
      machine_id: machine.id,
      job_id: jobId,
      sha256: file.sha256,
    };
    let cache: FileCache;
    try {
      cache = await options.fileCache();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      logger.error({ ...fields, error: reason }, "cannot open the file cache");
      return {
        ok: false,
        octoprint_status: null,
        error: `agent cannot write its file cache (${reason})`,
      };
    }

    let handle: FileHandle | null = await cache.openCached(file.sha256, file.size_bytes);
    let discardAfter: string | null = null;
    if (handle) logger.info(fields, "print file found in the cache; not downloading it again");
    else {
      const partial = cache.partialPath();
      progress("downloading", 0);
      const downloaded = await downloadFile({
        url: downloadUrl,
        authorization: `Bearer ${options.agentToken.get()}`,
        userAgent: options.userAgent,
        dest: partial,
        expectedSize: file.size_bytes,
        expectedSha256: file.sha256,
        fetch: fetchFn,
        stallMs,
        onBytes: (received) =>
          progress("downloading", file.size_bytes === 0 ? 100 : (received / file.size_bytes) * 100),
      });
      if (!downloaded.ok) {
        await cache.discard(partial);
        logger.warn(
          { ...fields, status: downloaded.status, error: downloaded.error },
          "print file download failed",
        );
        return { ok: false, octoprint_status: null, error: downloaded.error };
      }
      try {
        const adopted = await cache.adopt(partial, file.sha256, file.size_bytes);
        handle = adopted.handle;
        if (!adopted.cached) discardAfter = adopted.path;
      } catch (error) {
        await cache.discard(partial);
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        return {
          ok: false,
          octoprint_status: null,
          error: `agent cannot keep the downloaded file (${reason})`,
        };
      }
    }

    try {
      progress("uploading", 0);
      const uploaded = await uploadToOctoPrint({
        baseUrl: machine.baseUrl,
        apiKey: machine.apiKey.get(),
        file: handle,
        size: file.size_bytes,
        name: file.name,
        stallMs,
        onBytes: (sent, total) => progress("uploading", (sent / total) * 100),
      });
      if (uploaded.ok) {
        logger.info(
          { ...fields, octoprint_status: uploaded.status, file: file.name },
          "print started",
        );
        return { ok: true, octoprint_status: uploaded.status, error: null };
      }
      logger.warn(
        { ...fields, octoprint_status: uploaded.status, error: uploaded.error },
        "OctoPrint did not start the print",
      );
      return { ok: false, octoprint_status: uploaded.status, error: uploaded.error };
    } finally {
      await handle.close().catch(() => undefined);
      if (discardAfter) await cache.discard(discardAfter);
    }
  };
}
