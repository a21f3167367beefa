// The service under test: what `npm start` runs, in a child process, and its RSS.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { buildApi } from "../build-api.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The node arguments of package.json's `start` script (`exec node <args…>`), so the bench runs
 * exactly what `npm start` runs, node flags included, and not a copy that could drift.
 */
function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const words = String(pkg.scripts.start).trim().split(/\s+/);
  if (words[0] === "exec") words.shift();
  const [command, ...args] = words;
  if (command !== "node") throw new Error(`package.json "start" should run node, not ${command}`);
  return args;
}

/** A free TCP port on the loopback (the benches import nothing of vitest). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in MB (Linux /proc), or null where unavailable. */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux), or null. Unlike
 * req/s it hardly depends on what else the machine runs, so it compares runs on a busy machine.
 */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second here).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A canned answer for the bare server: status, the headers that shape it, the exact bytes. */
export interface CannedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface BareServer {
  base: string;
  pid: number;
  /** From now on every GET is answered with these bytes. */
  answer(canned: CannedAnswer): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The bare node:http server of scripts/bench/bare-server.ts in a child process, on the node flags
 * of `npm start` (the API's own), so both sides of a ratio run on the same runtime settings.
 */
export async function startBare(): Promise<BareServer> {
  const flags = startArgs().filter((a) => a.startsWith("--"));
  const child = fork(fileURLToPath(new URL("./bare-server.ts", import.meta.url)), [], {
    execArgv: [...flags, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", () => reject(new Error("the bare server exited before listening")));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    answer: (canned) =>
      new Promise<void>((resolve) => {
        child.once("message", () => resolve());
        child.send({ ...canned, body: canned.body.toString("base64") });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface RunningApi {
  base: string;
  pid: number;
  /** Highest RSS seen since start (sampled every 200 ms). */
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

export async function startApi(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<RunningApi> {
  const port = await freePort();
  await buildApi(); // what `npm start`'s prestart does
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...startArgs()], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", APF_DEMO: "off" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error("the API exited before it was ready");
    if (Date.now() > deadline) throw new Error("the API was not ready within 60 s");
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const now = rssMb(child.pid!);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, 200);
  return {
    base,
    pid: child.pid!,
    peakRssMb: () => peak,
    async stop() {
      clearInterval(sampler);
      if (exited) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}

/** Reads a few families of the API's /metrics (Prometheus text) as name{labels} → value. */
export async function scrapeMetrics(
  base: string,
  token: string,
  names: string[],
): Promise<Record<string, number>> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return {};
  const out: Record<string, number> = {};
  for (const line of (await res.text()).split("\n")) {
    if (line.startsWith("#")) continue;
    const [series, value] = line.split(" ");
    if (!series || value === undefined) continue;
    if (names.includes(series.split("{")[0]!)) out[series] = Number(value);
  }
  return out;
}
