// Ingest as a client sees it: pre-serialised reports posted to the API and, by the same client,
// to a bare server that only reads and parses them (the limit); then a report's effect is looked
// for through /public/v1 right after its 202 (report → visible).
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
  return JSON.parse(text).data as { machines: number; applied?: number };
}

/** As `post`, but a refused report (a 503 under load) is counted, not fatal: null. */
async function tryPost(base: string, token: string, body: string) {
  try {
    return await post(base, token, body);
  } catch (error) {
    console.log(`  ! ${error instanceof Error ? error.message.slice(0, 120) : String(error)}`);
    return null;
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * `count` reports of `perReport` machines, serialised before anything is timed, each observed a
 * second after the one before (in the past, so no clock-skew clamp): every one is applied.
 */
export function reportBodies(count: number, perReport: number): string[] {
  const machines = farm(perReport, new Date());
  const start = Date.now() - (count + 60) * 1000;
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(start + i * 1000).toISOString();
    for (const m of machines) m.observed_at = at;
    return JSON.stringify(report(machines, at));
  });
}

/** A fresh organization's agents: one token per agent (a sequence uses one). */
export type FreshFarm = string[];

export interface IngestRow {
  name: string;
  /** Machine states per second the API took, seen from the client (first inserts included). */
  api_machines_per_second: number;
  /** The same bodies, the same client, to the bare server that only reads and parses them. */
  bare_machines_per_second: number;
  ratio_to_bare: number;
  /** Report round trip as the client saw it. */
  api_report_ms_p50: number;
  api_report_ms_p99: number;
  runs: number;
  /** Reports the API did not accept (each counted as no machines). */
  api_refused: number;
  /**
   * The same rounds on a second API (the event log off, for its cost), played between the API's
   * and the bare server's on farms of its own.
   */
  reference?: {
    machines_per_second: number;
    report_ms_p50: number;
    refused: number;
    /** 1 − the API's machines/s over the reference's: what the API's difference costs. */
    cost: number;
  };
}

/**
 * Plays `rounds` on each farm: in a round every agent posts its body at once, and the next round
 * starts when all are answered. Returns machine states per second and each report's time.
 */
async function play(
  base: string,
  farmTokens: FreshFarm,
  rounds: string[],
  perReport: number,
  times: number[],
): Promise<{ machines: number; seconds: number; refused: number }> {
  const started = performance.now();
  let machines = 0;
  let refused = 0;
  for (const body of rounds) {
    await Promise.all(
      farmTokens.map(async (token) => {
        const t0 = performance.now();
        const summary = await tryPost(base, token, body);
        times.push(performance.now() - t0);
        if (summary === null) {
          refused++;
          return;
        }
        if (summary.applied !== undefined && summary.applied !== perReport) {
          throw new Error(`a report applied ${summary.applied} of ${perReport} machines`);
        }
        machines += summary.machines;
      }),
    );
  }
  return { machines, seconds: (performance.now() - started) / 1000, refused };
}

/**
 * Each farm is a fresh organization; the first is a warm-up for both servers. The rest alternate
 * API, bare, API, bare… so that both see the same phases of a machine whose speed drifts.
 */
export async function measureIngestRow(
  name: string,
  api: string,
  bare: string,
  farms: FreshFarm[],
  rounds: string[],
  perReport: number,
  reference?: { base: string; farms: FreshFarm[] },
): Promise<IngestRow> {
  const [warmup, ...measured] = farms;
  await play(api, warmup!, rounds, perReport, []);
  if (reference) await play(reference.base, reference.farms[0]!, rounds, perReport, []);
  await play(bare, warmup!, rounds, perReport, []);
  const apiTimes: number[] = [];
  const referenceTimes: number[] = [];
  const total = {
    api: { machines: 0, seconds: 0 },
    reference: { machines: 0, seconds: 0, refused: 0 },
    bare: { machines: 0, seconds: 0 },
  };
  let refused = 0;
  for (const [i, tokens] of measured.entries()) {
    const a = await play(api, tokens, rounds, perReport, apiTimes);
    if (reference) {
      const r = await play(
        reference.base,
        reference.farms[i + 1]!,
        rounds,
        perReport,
        referenceTimes,
      );
      total.reference.machines += r.machines;
      total.reference.seconds += r.seconds;
      total.reference.refused += r.refused;
    }
    const b = await play(bare, tokens, rounds, perReport, []);
    total.api.machines += a.machines;
    total.api.seconds += a.seconds;
    refused += a.refused;
    total.bare.machines += b.machines;
    total.bare.seconds += b.seconds;
  }
  apiTimes.sort((x, y) => x - y);
  referenceTimes.sort((x, y) => x - y);
  const apiRate = total.api.machines / total.api.seconds;
  const bareRate = total.bare.machines / total.bare.seconds;
  const referenceRate = total.reference.machines / total.reference.seconds;
  return {
    ...(reference
      ? {
          reference: {
            machines_per_second: Math.round(referenceRate),
            report_ms_p50: Math.round(percentile(referenceTimes, 50)),
            refused: total.reference.refused,
            cost: Math.round((1 - apiRate / referenceRate) * 1000) / 1000,
          },
        }
      : {}),
    name,
    api_machines_per_second: Math.round(apiRate),
    bare_machines_per_second: Math.round(bareRate),
    ratio_to_bare: Math.round((apiRate / bareRate) * 1000) / 1000,
    api_report_ms_p50: Math.round(percentile(apiTimes, 50)),
    api_report_ms_p99: Math.round(percentile(apiTimes, 99)),
    runs: measured.length,
    api_refused: refused,
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
