import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

/** The API as a real process (`node --import tsx apps/api/src/server.ts`), its output collected. */
export class ServerProcess {
  output = "";
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    const base = { ...process.env };
    for (const name of ["DATABASE_URL", "REDIS_URL", "APF_DATA_DIR", "APF_DEMO", "LOG_LEVEL"])
      delete base[name];
    this.child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
      cwd: root,
      env: { ...base, PORT: String(port), HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (d: Buffer) => {
      this.output += d.toString();
    });
    this.child.stderr!.on("data", (d: Buffer) => {
      this.output += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Polls until `path` answers (any status) or the deadline passes. */
  async waitForHttp(path = "/healthz", timeoutMs = 15_000): Promise<Response> {
    // The last error is what the timeout reports: the server's output if it exited early.
    return vi.waitFor(
      () => {
        if (!this.alive) throw new Error(`server exited early:\n${this.output}`);
        // (no keep-alive connection is left behind to count against a connection cap)
        return fetch(this.url + path, { headers: { connection: "close" } });
      },
      { timeout: timeoutMs, interval: 100 },
    );
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }
}
