// Ingest under load: agents post 1,000-machine reports back to back (machine states per second),
// then a report's effect is looked for through /public/v1 right after its 202 (report → visible).
import { machine, report } from "../../apps/api/test/agent/report-builder.ts";

type Machine = ReturnType<typeof machine> & {
  octoprint: { printer: { temperature: { bed: { actual: number } } } | null } | null;
};

function farm(count: number, observedAt: Date): Machine[] {
  return Array.from(
    { length: count },
    (_, i) =>
      machine({
        machineId: `machine-${i}`,
        observedAt,
        flags: i % 3 === 0 ? { printing: true } : {},
        file: i % 3 === 0 ? `part-${i % 7}.gcode` : null,
        completion: i % 3 === 0 ? 10 + (i % 80) : null,
      }) as Machine,
  );
}

async function post(base: string, token: string, body: string) {
  const res = await fetch(`${base}/agent/v1/reports`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`report answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text).data as { machines: number; applied: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface IngestResult {
  agents: number;
  machines_per_report: number;
  reports: number;
  machine_states_per_second: number;
  /** States applied in the measured part (the warm-up round excluded). */
  machine_states_total: number;
  report_ms_p50: number;
  report_ms_p99: number;
}

/** Each agent posts reports of `perReport` machines one after another for `durationS`. */
export async function measureIngest(
  base: string,
  tokens: string[],
  perReport: number,
  durationS: number,
): Promise<IngestResult> {
  const machines = farm(perReport, new Date());
  let clock = Date.now();
  const bodyAt = () => {
    // Each report is newer than the last one applied (else it would be ignored as stale).
    clock += 1000;
    const at = new Date(Math.min(clock, Date.now())).toISOString();
    for (const m of machines) m.observed_at = at;
    return JSON.stringify(report(machines));
  };
  // Warm-up: the first report of each agent creates its printers.
  await Promise.all(tokens.map((t) => post(base, t, bodyAt())));
  const times: number[] = [];
  let applied = 0;
  const started = performance.now();
  const until = started + durationS * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < until) {
        const body = bodyAt();
        const t0 = performance.now();
        const summary = await post(base, token, body);
        times.push(performance.now() - t0);
        applied += summary.applied;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    agents: tokens.length,
    machines_per_report: perReport,
    reports: times.length,
    machine_states_per_second: Math.round(applied / seconds),
    machine_states_total: applied,
    report_ms_p50: Math.round(percentile(times, 50)),
    report_ms_p99: Math.round(percentile(times, 99)),
  };
}

export interface VisibilityResult {
  samples: number;
  /** Reports whose new state was already served by the first read after their 202. */
  visible_on_first_read: number;
  ms_p50: number;
  ms_max: number;
}

/**
 * Posts a report that changes one printer's bed temperature, then reads /public/v1/printers
 * until the new value shows: the time from the 202 to the first read that serves it.
 */
export async function measureVisibility(
  base: string,
  agentToken: string,
  apiKey: string,
  printerCount: number,
  samples: number,
): Promise<VisibilityResult> {
  const machines = farm(printerCount, new Date());
  const lags: number[] = [];
  let firstRead = 0;
  for (let s = 0; s < samples; s++) {
    const marker = 30 + s + Math.random() / 2;
    const at = new Date().toISOString();
    for (const m of machines) m.observed_at = at;
    machines[0]!.octoprint!.printer!.temperature.bed.actual = marker;
    await post(base, agentToken, JSON.stringify(report(machines)));
    const accepted = performance.now();
    let reads = 0;
    for (;;) {
      reads++;
      const res = await fetch(`${base}/public/v1/printers`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const body = (await res.json()) as {
        data: { name: string; temperatures: { bed?: { actual: number | null } } }[];
      };
      const seen = body.data.some((p) => p.temperatures.bed?.actual === marker);
      if (seen) break;
      if (performance.now() - accepted > 5000) throw new Error("a report was not visible in 5 s");
    }
    lags.push(performance.now() - accepted);
    if (reads === 1) firstRead++;
  }
  lags.sort((a, b) => a - b);
  return {
    samples,
    visible_on_first_read: firstRead,
    ms_p50: Math.round(percentile(lags, 50) * 10) / 10,
    ms_max: Math.round(lags.at(-1)! * 10) / 10,
  };
}
