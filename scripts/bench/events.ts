// Events (#22) from a client's side: the real service (a child process, as `npm start` runs it,
// on a fresh database of its own, webhooks allowed to a loopback receiver) fed by agent reports
// over HTTP, a webhook receiver (node:http, in this process, answering 204 at once) and SSE
// clients (fetch) on /public/v1/events/stream. Three rows:
//   - event → webhook received: one printer's status changed by a report, p50/p99 from the
//     report sent, and from the event's own timestamp (written in the database), to its delivery;
//   - sustained deliveries/s: reports that change the status of many printers at once, every
//     delivery counted at the receiver, first to last;
//   - 1,000 open streams (over keys, 5 each) all receiving one printer change.
//   npm run bench:events [-- --quick]   (also a section of `npm run bench`)
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mintToken, SCOPES } from "@apf/auth";
import { agents, apiKeys, createDatabase, type Database, organizations } from "@apf/db";
import pg from "pg";
import { machine, report } from "../../apps/api/test/agent/report-builder.ts";
import { startApi } from "./server.ts";

export interface EventsBenchOptions {
  quick: boolean;
  logLevel: string;
  databaseUrl: string;
  redisUrl: string;
}

export interface EventsBenchResult {
  webhook_latency: {
    samples: number;
    from_report_ms_p50: number;
    from_report_ms_p99: number;
    from_event_ms_p50: number;
    from_event_ms_p99: number;
  };
  webhook_throughput: {
    deliveries: number;
    repeated: number;
    reports_taken_s: number;
    drain_per_second: number | null;
    seconds: number;
    per_second: number;
    printers: number;
    reports: number;
  };
  streams: {
    open: number;
    keys: number;
    received: number;
    ms_p50: number;
    ms_p99: number;
    ms_max: number;
  };
  api_peak_rss_mb: number | null;
}

const GOALS = { latencyP99Ms: 1000, perSecond: 500, streamsP99Ms: 1000 };
const STREAMS = 1000;
const STREAMS_PER_KEY = 5;
const ENDPOINTS = 5;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Delivery {
  at: number;
  /** The endpoint's path and the webhook-id: a second delivery of one event to one endpoint repeats it. */
  key: string;
  type: string;
  timestamp: number;
  data: { id?: string; status?: string };
}

/** A webhook receiver that answers 204 at once and keeps each delivery's arrival time. */
async function startReceiver() {
  const received: Delivery[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      res.writeHead(204).end();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        type: string;
        timestamp: string;
        data: Delivery["data"];
      };
      received.push({
        at,
        key: `${req.url} ${req.headers["webhook-id"]}`,
        type: body.type,
        timestamp: Date.parse(body.timestamp),
        data: body.data,
      });
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** Resolves once `test` holds for a delivery after index `from` (or rejects after `ms`). */
    waitFor(from: number, test: (d: Delivery) => boolean, ms = 30_000): Promise<Delivery> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.slice(from).find(test);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching delivery within ${ms} ms`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An organization with one agent and `keys` API keys of every scope. */
async function seedOrg(db: Database, name: string, keys: number) {
  const [org] = await db.insert(organizations).values({ name }).returning({ id: organizations.id });
  const agent = mintToken("agent");
  await db.insert(agents).values({
    organizationId: org!.id,
    name: "bench agent",
    tokenHash: agent.hash,
    preview: agent.preview,
  });
  const minted = Array.from({ length: keys }, () => mintToken("live"));
  await db.insert(apiKeys).values(
    minted.map((m, i) => ({
      organizationId: org!.id,
      name: `bench key ${i}`,
      keyHash: m.hash,
      preview: m.preview,
      scopes: [...SCOPES],
      rateLimitPerMinute: 10_000,
    })),
  );
  return { agentToken: agent.token, keys: minted.map((m) => m.token) };
}

/** Report bodies where `count` printers are printing (odd rounds) or idle (even ones), a second apart. */
function statusReports(count: number, rounds: number): string[] {
  const start = Date.now() - (rounds + 60) * 1000;
  return Array.from({ length: rounds }, (_, round) => {
    const at = new Date(start + round * 1000).toISOString();
    const printing = round % 2 === 1;
    const machines = Array.from({ length: count }, (_, i) =>
      machine({
        machineId: `machine-${i}`,
        observedAt: at,
        flags: printing ? { printing: true } : {},
        file: printing ? "bench.gcode" : null,
        completion: printing ? 10 : null,
      }),
    );
    return JSON.stringify(report(machines, at));
  });
}

async function postReport(base: string, token: string, body: string) {
  const res = await fetch(`${base}/agent/v1/reports`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`report answered ${res.status}: ${text.slice(0, 300)}`);
}

async function createEndpoint(base: string, key: string, url: string, eventTypes: string[] = []) {
  const res = await fetch(`${base}/public/v1/webhook-endpoints`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ url, event_types: eventTypes, description: "bench" }),
  });
  if (res.status !== 201)
    throw new Error(`endpoint creation answered ${res.status}: ${await res.text()}`);
}

/** An open SSE stream that notes when `printer.status_changed` first arrives. */
async function openStream(base: string, key: string, controller: AbortController) {
  const res = await fetch(`${base}/public/v1/events/stream?types=printer.status_changed`, {
    headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}`);
  const stream = { connected: false, receivedAt: null as number | null };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let connected: () => void = () => {};
  const ready = new Promise<void>((r) => {
    connected = r;
  });
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        if (!stream.connected && buffer.includes(":")) {
          stream.connected = true;
          connected();
        }
        if (stream.receivedAt === null && buffer.includes("event: printer.status_changed")) {
          stream.receivedAt = Date.now();
        }
        if (buffer.length > 4096) buffer = buffer.slice(-200);
      }
    } catch {
      // aborted at the end of the row
    }
  })();
  return { stream, ready };
}

export async function benchEvents(options: EventsBenchOptions): Promise<EventsBenchResult> {
  const { quick } = options;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const dbName = `apf_bench_events_${randomBytes(4).toString("hex")}`;
  await admin(`create database ${dbName}`);
  const url = new URL(options.databaseUrl);
  url.pathname = `/${dbName}`;
  const receiver = await startReceiver();
  try {
    const database = await createDatabase({ databaseUrl: url.toString() });
    const latencyOrg = await seedOrg(database.db, "Bench Events Latency", 1);
    const throughputOrg = await seedOrg(database.db, "Bench Events Throughput", 1);
    const streamOrg = await seedOrg(database.db, "Bench Events Streams", STREAMS / STREAMS_PER_KEY);
    await database.close();

    const api = await startApi({
      DATABASE_URL: url.toString(),
      REDIS_URL: options.redisUrl,
      LOG_LEVEL: options.logLevel,
      APF_WEBHOOKS_ALLOW_PRIVATE: "1",
    });
    try {
      // Row 1: one printer's status, one event at a time.
      await createEndpoint(api.base, latencyOrg.keys[0]!, receiver.url);
      const samples = quick ? 20 : 100;
      const reports = statusReports(1, samples + 1);
      await postReport(api.base, latencyOrg.agentToken, reports[0]!); // the printer appears
      await sleep(500);
      const fromReport: number[] = [];
      const fromEvent: number[] = [];
      for (let i = 1; i <= samples; i++) {
        const from = receiver.received.length;
        const sent = Date.now();
        await postReport(api.base, latencyOrg.agentToken, reports[i]!);
        const got = await receiver.waitFor(from, (d) => d.type === "printer.status_changed");
        fromReport.push(got.at - sent);
        fromEvent.push(got.at - got.timestamp);
        await sleep(50);
      }
      const webhook_latency = {
        samples,
        from_report_ms_p50: percentile(fromReport, 50),
        from_report_ms_p99: percentile(fromReport, 99),
        from_event_ms_p50: percentile(fromEvent, 50),
        from_event_ms_p99: percentile(fromEvent, 99),
      };
      console.log(
        `  event → webhook received          p50 ${webhook_latency.from_report_ms_p50} ms, p99 ${webhook_latency.from_report_ms_p99} ms from the report sent; p50 ${webhook_latency.from_event_ms_p50} ms, p99 ${webhook_latency.from_event_ms_p99} ms from the event's timestamp (${samples} samples; goal p99 ≤ ${GOALS.latencyP99Ms} ms: ${webhook_latency.from_report_ms_p99 <= GOALS.latencyP99Ms ? "yes" : "NO"})`,
      );

      // Row 2: many printers change status at once, report after report.
      // Each event goes to ENDPOINTS endpoints, so the reports (each status change of 500 printers
      // is a costly report) make deliveries faster than the queue takes them.
      const printers = 500;
      const rounds = quick ? 2 : 4;
      const bodies = statusReports(printers, rounds + 1);
      await postReport(api.base, throughputOrg.agentToken, bodies[0]!); // the printers appear
      await sleep(1000);
      for (let e = 0; e < ENDPOINTS; e++) {
        await createEndpoint(api.base, throughputOrg.keys[0]!, `${receiver.url}/${e}`, [
          "printer.status_changed",
        ]);
      }
      const from = receiver.received.length;
      const expected = printers * rounds * ENDPOINTS;
      const sent = Date.now();
      for (let r = 1; r <= rounds; r++)
        await postReport(api.base, throughputOrg.agentToken, bodies[r]!);
      const reportsDone = Date.now();
      // Only these endpoints' deliveries (the latency row's other events may still arrive).
      const ours = () => receiver.received.slice(from).filter((d) => d.key.startsWith("/hooks/"));
      const receivedByThen = ours().length;
      const deadline = Date.now() + 120_000;
      while (ours().length < expected && Date.now() < deadline) await sleep(100);
      // Wait a little for late repeats: a delivery received twice is a fault, counted apart.
      await sleep(2000);
      const batch = ours();
      const repeated = batch.length - new Set(batch.map((d) => d.key)).size;
      const last = batch.slice(0, expected).reduce((m, d) => Math.max(m, d.at), sent);
      const seconds = (last - sent) / 1000;
      // After the last report was taken: the queue alone, draining what the reports made.
      const drainS = (last - reportsDone) / 1000;
      const webhook_throughput = {
        deliveries: batch.length,
        repeated,
        reports_taken_s: Math.round((reportsDone - sent) / 100) / 10,
        drain_per_second:
          drainS > 0
            ? Math.round((Math.min(batch.length, expected) - receivedByThen) / drainS)
            : null,
        seconds: Math.round(seconds * 10) / 10,
        per_second: Math.round(Math.min(batch.length, expected) / seconds),
        printers,
        reports: rounds,
      };
      console.log(
        `  sustained webhook deliveries      ${webhook_throughput.per_second}/s (${batch.length} of ${expected} deliveries of printer.status_changed: ${rounds} reports of ${printers} printers, ${ENDPOINTS} endpoints, ${repeated} received twice; first report sent → last received in ${webhook_throughput.seconds} s, the reports taken in ${webhook_throughput.reports_taken_s} s, ${webhook_throughput.drain_per_second}/s after that; goal ≥ ${GOALS.perSecond}/s: ${webhook_throughput.per_second >= GOALS.perSecond ? "yes" : "NO"})`,
      );

      // Row 3: 1,000 open streams, one printer change.
      const streamReports = statusReports(1, 2);
      await postReport(api.base, streamOrg.agentToken, streamReports[0]!);
      await sleep(500);
      const controller = new AbortController();
      const open: Awaited<ReturnType<typeof openStream>>[] = [];
      for (let i = 0; i < STREAMS; i += 50) {
        open.push(
          ...(await Promise.all(
            Array.from({ length: 50 }, (_, j) =>
              openStream(
                api.base,
                streamOrg.keys[Math.floor((i + j) / STREAMS_PER_KEY)]!,
                controller,
              ),
            ),
          )),
        );
      }
      await Promise.all(open.map((o) => o.ready));
      await sleep(500);
      const changedAt = Date.now();
      await postReport(api.base, streamOrg.agentToken, streamReports[1]!);
      const until = Date.now() + 30_000;
      while (open.some((o) => o.stream.receivedAt === null) && Date.now() < until) await sleep(20);
      const waits = open.flatMap((o) =>
        o.stream.receivedAt === null ? [] : [o.stream.receivedAt - changedAt],
      );
      controller.abort();
      const streams = {
        open: open.length,
        keys: STREAMS / STREAMS_PER_KEY,
        received: waits.length,
        ms_p50: percentile(waits, 50),
        ms_p99: percentile(waits, 99),
        ms_max: percentile(waits, 100),
      };
      console.log(
        `  ${STREAMS} streams ← one printer change  ${streams.received}/${streams.open} received; p50 ${streams.ms_p50} ms, p99 ${streams.ms_p99} ms, max ${streams.ms_max} ms from the report sent (goal p99 ≤ ${GOALS.streamsP99Ms} ms: ${streams.received === streams.open && streams.ms_p99 <= GOALS.streamsP99Ms ? "yes" : "NO"})`,
      );
      const result = {
        webhook_latency,
        webhook_throughput,
        streams,
        api_peak_rss_mb: api.peakRssMb(),
      };
      const out = fileURLToPath(new URL("../../bench/results/events-latest.json", import.meta.url));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(
        out,
        `${JSON.stringify({ when: new Date().toISOString(), mode: quick ? "quick" : "full", ...result }, null, 2)}\n`,
      );
      console.log("  wrote bench/results/events-latest.json");
      return result;
    } finally {
      await api.stop();
    }
  } finally {
    await receiver.close();
    await admin(`drop database if exists ${dbName} with (force)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      "log-level": { type: "string", default: "warn" },
    },
  });
  console.log("events (figures from a 2-core machine shared with other work: noisy)");
  await benchEvents({
    quick: values.quick!,
    logLevel: values["log-level"]!,
    databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  });
  process.exit(0);
}
