// Runs a simulated OctoPrint farm in real time so a technician can try the agent without hardware:
//   npm run simulator -w @apf/printers -- --printers 3 --port 5001 --api-key SIMKEY --auto-print
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startSimulatedFarm } from "./farm.ts";

const USAGE = `Usage: simulator [--printers N] [--port P] [--host H] [--api-key KEY] [--auto-print]
                 [--duration S] [--idle S] [--time-scale F] [--auto-approve]

  --printers N     number of simulated printers, one HTTP port each (default 3)
  --port P         port of the first printer, the next ones count up (default 0 = free ports)
  --host H         interface to bind (default 127.0.0.1)
  --api-key KEY    OctoPrint API key of every printer (default: a random key per printer)
  --auto-print     loop idle -> print -> finish forever, staggered across printers
  --duration S     seconds per auto print (default 120)
  --idle S         idle seconds between auto prints (default 20)
  --time-scale F   uploaded files print for their slicer estimate times F (default 1;
                   0.01 prints an hour-long file in 36 s)
  --auto-approve   grant Application Keys pairing requests at once`;

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a number > 0, got "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse().values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const count = positiveInt("printers", values.printers, 3);
  const farm = await startSimulatedFarm({
    count,
    host: values.host ?? "127.0.0.1",
    basePort: positiveInt("port", values.port, 0, 0),
    apiKey: values["api-key"],
    autoApprovePairing: values["auto-approve"] ?? false,
    uploads: { timeScale: positiveNumber("time-scale", values["time-scale"], 1) },
    autoPrint: values["auto-print"]
      ? {
          files: ["benchy.gcode", "calibration-cube.gcode", "phone-stand.gcode"],
          durationS: positiveInt("duration", values.duration, 120),
          idleS: positiveInt("idle", values.idle, 20, 0),
        }
      : undefined,
  });

  console.log(`Simulated OctoPrint farm: ${count} printer(s)`);
  for (const p of farm.printers) console.log(`  ${p.name}  ${p.url}  api key: ${p.apiKey}`);
  console.log("Press Ctrl+C to stop.");

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(0);
    stopping = true;
    farm.close().finally(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  exitWithLaunchers(stop);
}

// `npm run simulator` starts `sh -c "tsx …"`, and tsx starts this process. Stopping npm ends the
// shell but neither tsx nor this process ever hear of it, so the simulator would keep its ports.
// It therefore watches the processes that launched it (read from /proc, so on Linux) and stops
// as soon as one of them is gone.
function exitWithLaunchers(stop: () => void): void {
  // Each launcher with the parent it had at start: gone, or handed to another parent, means stop.
  const launchers: Array<{ pid: number; parent: number }> = [];
  let pid = process.ppid;
  for (let depth = 0; depth < 2 && pid > 1; depth += 1) {
    const parent = parentOf(pid);
    if (parent === null) break;
    launchers.push({ pid, parent });
    pid = parent;
  }
  if (launchers.length === 0) return;
  const timer = setInterval(() => {
    if (launchers.some((l) => parentOf(l.pid) !== l.parent)) {
      clearInterval(timer);
      stop();
    }
  }, 1000);
  timer.unref();
}

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") return null;
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

function parse() {
  return parseArgs({
    options: {
      printers: { type: "string", short: "n" },
      port: { type: "string", short: "p" },
      host: { type: "string" },
      "api-key": { type: "string", short: "k" },
      "auto-print": { type: "boolean" },
      duration: { type: "string" },
      idle: { type: "string" },
      "time-scale": { type: "string" },
      "auto-approve": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

main().catch((error: unknown) => {
  console.error(`simulator: ${(error as Error).message}`);
  process.exit(1);
});
