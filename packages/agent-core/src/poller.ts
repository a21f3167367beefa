import type { Logger } from "pino";
import type { MachineConfig } from "./agent-config.ts";
import { createOctoPrintClient, type OctoPrintClient, type OctoPrintResult } from "./octoprint.ts";
import type { MachineReport } from "./report-types.ts";

/** Options of {@link createPoller}. */
export interface PollerOptions {
  machines: MachineConfig[];
  requestTimeoutMs: number;
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** Polls every configured OctoPrint host; keeps per-host memory (version, last condition). */
export interface Poller {
  /** One round: every machine concurrently; resolves with one entry per machine, never rejects. */
  pollRound(): Promise<MachineReport[]>;
}

type Condition = "ok" | "unreachable" | "auth" | "not_operational" | "error";
type Failure = Extract<OctoPrintResult, { ok: false }>;

interface HostState {
  machine: MachineConfig;
  client: OctoPrintClient;
  version: unknown;
  needVersion: boolean;
  condition: Condition | undefined;
}

/** The report's `error` is capped by the backend; keep it short. */
const MAX_ERROR_LENGTH = 300;

const isNetwork = (r: OctoPrintResult): r is Failure =>
  !r.ok && (r.kind === "unreachable" || r.kind === "timeout");
const isAuth = (r: OctoPrintResult): r is Failure => !r.ok && r.kind === "auth";

function shorten(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * Builds the poller: per host `GET /api/version` (first time and after the host was
 * unreachable), then `GET /api/printer` and `GET /api/job`. A refused key (401/403) makes it
 * re-read the key file and, if the file changed, try again at once.
 */
export function createPoller(options: PollerOptions): Poller {
  const now = options.now ?? Date.now;
  const { logger } = options;
  const hosts: HostState[] = options.machines.map((machine) => ({
    machine,
    client: createOctoPrintClient({
      baseUrl: machine.baseUrl,
      apiKey: () => machine.apiKey.get(),
      timeoutMs: options.requestTimeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    version: null,
    needVersion: true,
    condition: undefined,
  }));

  const base = (host: HostState) => ({
    machine_id: host.machine.id,
    name: host.machine.name,
    type: "OCTOPRINT" as const,
    url: host.machine.url,
    observed_at: new Date(now()).toISOString(),
  });

  function unreachable(host: HostState, failure: Failure): MachineReport {
    host.needVersion = true;
    return { ...base(host), reachable: false, error: shorten(failure.message), octoprint: null };
  }

  async function refused(
    host: HostState,
    failure: Failure,
    retry: boolean,
  ): Promise<MachineReport> {
    const reload = await host.machine.apiKey.reload();
    if (reload.error)
      logger.warn(
        { machine_id: host.machine.id, error: reload.error },
        "cannot re-read the OctoPrint key file",
      );
    if (reload.changed) {
      logger.info(
        { machine_id: host.machine.id, file: host.machine.apiKey.file },
        "OctoPrint key file changed; using the new key",
      );
      if (retry) return pollHost(host, false);
    }
    const octoprint = {
      version: host.version,
      printer_http_status: failure.status ?? 403,
      printer: null,
      job: null,
      filament: null,
    };
    return { ...base(host), reachable: true, error: "octoprint key refused", octoprint };
  }

  async function pollHost(host: HostState, retry = true): Promise<MachineReport> {
    if (host.needVersion) {
      const version = await host.client.getVersion();
      if (isNetwork(version)) return unreachable(host, version);
      if (isAuth(version)) return refused(host, version, retry);
      if (version.ok) {
        host.version = version.body;
        host.needVersion = false;
      }
    }
    const [printer, job] = await Promise.all([host.client.getPrinter(), host.client.getJob()]);
    const network = [printer, job].find(isNetwork);
    if (network) return unreachable(host, network);
    const auth = [printer, job].find(isAuth);
    if (auth) return refused(host, auth, retry);

    const errors: string[] = [];
    if (!printer.ok && printer.kind === "http") errors.push(printer.message);
    if (!job.ok) errors.push(job.message);
    return {
      ...base(host),
      reachable: true,
      error: errors.length > 0 ? shorten(errors.join("; ")) : null,
      octoprint: {
        version: host.version,
        printer_http_status: printer.ok ? printer.status : (printer.status ?? null),
        printer: printer.ok ? printer.body : null,
        job: job.ok ? job.body : null,
        filament: null,
      },
    };
  }

  function conditionOf(entry: MachineReport): Condition {
    if (!entry.reachable) return "unreachable";
    const status = entry.octoprint?.printer_http_status;
    if (status === 401 || status === 403) return "auth";
    if (status === 409) return "not_operational";
    return entry.error ? "error" : "ok";
  }

  function logTransition(host: HostState, entry: MachineReport): void {
    const next = conditionOf(entry);
    const previous = host.condition;
    host.condition = next;
    if (next === previous) return;
    const fields = { machine_id: host.machine.id, url: host.machine.url };
    if (next === "unreachable")
      logger.warn({ ...fields, error: entry.error }, "OctoPrint host unreachable");
    else if (next === "auth") {
      const where = host.machine.apiKey.file ?? `the api_key of ${host.machine.label}`;
      logger.error(
        { ...fields, status: entry.octoprint?.printer_http_status },
        `OctoPrint refused the key: fix ${where} (it is re-read on every poll)`,
      );
    } else if (next === "not_operational")
      logger.info(fields, "printer not operational (OctoPrint has no printer connection)");
    else if (next === "error")
      logger.warn({ ...fields, error: entry.error }, "OctoPrint answered with an error");
    else if (previous !== undefined) logger.info(fields, "OctoPrint host back to normal");
  }

  async function pollOne(host: HostState): Promise<MachineReport> {
    let entry: MachineReport;
    try {
      entry = await pollHost(host);
    } catch (error) {
      // The client never throws; this guards the agent against a bug turning into a crash.
      logger.error({ machine_id: host.machine.id, err: error }, "internal error while polling");
      entry = { ...base(host), reachable: false, error: "agent internal error", octoprint: null };
    }
    logTransition(host, entry);
    return entry;
  }

  return {
    async pollRound() {
      const settled = await Promise.allSettled(hosts.map(pollOne));
      return settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    },
  };
}
