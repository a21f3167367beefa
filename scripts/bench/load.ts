// HTTP load from this process (not the API's): autocannon, 50 connections, keys round-robin.
import { request } from "node:http";
import autocannon from "autocannon";
import type { CannedAnswer } from "./server.ts";

export interface LoadResult {
  name: string;
  path: string;
  requests: number;
  non_2xx: number;
  errors: number;
  per_second: number;
  ms_p50: number;
  ms_p99: number;
  /** The API's CPU time per answered request (user + system), in microseconds. */
  cpu_us_per_request: number | null;
  /** Filled in by run.ts: this row's req/s divided by /healthz's. */
  ratio?: number;
  /** Filled in by run.ts: CPU the local Postgres spent during the row (warm-up included). */
  postgres_cpu_ms?: number | null;
}

export interface LoadOptions {
  base: string;
  path: string;
  /** Bearer credentials to rotate through, one per request; none for open routes. */
  keys: string[];
  /** Headers sent with every request (e.g. Accept-Encoding). */
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  /** The API process's CPU time so far (ms), to charge each row its own CPU. */
  cpuMs?: () => number | null;
}

function fire(options: LoadOptions): Promise<autocannon.Result> {
  let next = 0;
  const { keys } = options;
  return autocannon({
    url: options.base,
    connections: options.connections,
    duration: options.durationS,
    requests: [
      {
        method: "GET",
        path: options.path,
        headers: options.headers ?? {},
        setupRequest: (request) => {
          if (keys.length === 0) return request;
          const key = keys[next++ % keys.length]!;
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${key}` } };
        },
      },
    ],
  });
}

/**
 * Waits for the answer to one request: whatever the server still had queued from the last pass
 * is done by then, so a slow route's backlog is not counted against the next row.
 */
async function settle(base: string): Promise<void> {
  await (await fetch(`${base}/healthz`)).arrayBuffer();
}

/** A warm-up pass (not reported), then the measured pass. */
export async function measure(
  name: string,
  options: LoadOptions,
  warmupS: number,
): Promise<LoadResult> {
  if (warmupS > 0) await fire({ ...options, durationS: warmupS });
  await settle(options.base);
  const cpuBefore = options.cpuMs?.() ?? null;
  const r = await fire(options);
  await settle(options.base);
  const cpuAfter = options.cpuMs?.() ?? null;
  const cpu =
    cpuBefore !== null && cpuAfter !== null && r.requests.total > 0
      ? Math.round(((cpuAfter - cpuBefore) * 1000) / r.requests.total)
      : null;
  return {
    name,
    path: options.path,
    requests: r.requests.total,
    non_2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    per_second: Math.round(r.requests.total / options.durationS),
    ms_p50: r.latency.p50,
    ms_p99: r.latency.p99,
    cpu_us_per_request: cpu,
  };
}

/**
 * One answer of a route exactly as it went over the socket (no decoding): what the bare server
 * then sends for the same row, and what the bench checks (encoding, size).
 */
export function captureAnswer(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<CannedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const shaping: Record<string, string> = {};
        for (const name of ["content-type", "content-encoding", "vary", "etag"]) {
          const value = res.headers[name];
          if (typeof value === "string") shaping[name] = value;
        }
        resolve({ status: res.statusCode ?? 0, headers: shaping, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
