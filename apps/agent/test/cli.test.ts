import { type ChildProcess, spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SimulatedFarm, startSimulatedFarm } from "@apf/printers/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { type FakeBackend, startFakeBackend } from "./helpers/fake-backend.ts";
import { until } from "./helpers/http-fake.ts";
import { AGENT_TOKEN, tempDir } from "./helpers/temp-dir.ts";

const BIN = fileURLToPath(new URL("../bin/apf-agent.mjs", import.meta.url));
const KEY = "ABCDEF0123456789ABCDEF0123456789";

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnAgent(args: string[]): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

let farm: SimulatedFarm | undefined;
let backend: FakeBackend | undefined;
afterEach(async () => {
  await farm?.close();
  await backend?.close();
  farm = undefined;
  backend = undefined;
});

describe("apf-agent (spawned)", () => {
  it("exits 1 with one line naming file, entry and field for a bad config", async () => {
    const dir = await tempDir({
      "agent-token.txt": AGENT_TOKEN,
      "agent.json": {
        api_url: "http://127.0.0.1:9",
        agent_token_file: "agent-token.txt",
        machines: [
          {
            type: "OCTOPRINT",
            url: "http://a.local",
            authentication_file_path: "missing.txt",
            custom_name: "printer-a",
          },
        ],
      },
    });
    const config = join(dir, "agent.json");
    const run = spawnAgent(["run", "--config", config]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe(
      `apf-agent: ${config}: machines[0] ("printer-a"): authentication_file_path: cannot read ${join(dir, "missing.txt")} (ENOENT)\n`,
    );
    expect(run.stdout()).toBe("");
  });

  it("exits 1 for a config that is not JSON", async () => {
    const dir = await tempDir({ "agent.json": "{ not json" });
    const run = spawnAgent(["run", "--config", join(dir, "agent.json")]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/^apf-agent: .*agent\.json: invalid JSON: .*\n$/);
  });

  it("exits 2 with one line on bad usage", async () => {
    const run = spawnAgent(["run", "--confg", "x.json"]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe("apf-agent: unknown option --confg (see apf-agent --help)\n");
  });

  it("prints its version", async () => {
    const run = spawnAgent(["--version"]);
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toBe("0.1.0\n");
  });

  it("runs against the simulator, reports, and exits 0 on SIGTERM without logging secrets", async () => {
    farm = await startSimulatedFarm({ count: 2, apiKey: KEY });
    backend = await startFakeBackend();
    const dir = await tempDir({
      "agent-token.txt": `${AGENT_TOKEN}\n`,
      "secret.txt": KEY,
      "agent.json": {
        api_url: backend.url,
        agent_token_file: "agent-token.txt",
        poll_interval_s: 1,
        machines: farm.printers.map((p, i) => ({
          type: "OCTOPRINT",
          url: p.url,
          custom_name: `printer-${i + 1}`,
          authentication_file_path: "secret.txt",
          mes_id: [i],
        })),
      },
    });
    const run = spawnAgent(["run", "--config", join(dir, "agent.json"), "--log-level", "debug"]);
    await until(() => expect(backend?.accepted.length).toBeGreaterThanOrEqual(1));
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
    const lines = run
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines[0]?.msg).toBe("agent started");
    expect(lines.at(-1)?.msg).toBe("agent stopped");
    expect(run.stdout()).not.toContain(KEY);
    expect(run.stdout()).not.toContain(AGENT_TOKEN);
    expect(backend.requests[0]?.headers.authorization).toBe(`Bearer ${AGENT_TOKEN}`);
  });
});

describe("apf-agent pair", () => {
  function io() {
    let out = "";
    let err = "";
    return {
      io: {
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: (t: string) => (err += t) },
        signal: new AbortController().signal,
      },
      out: () => out,
      err: () => err,
    };
  }

  it("writes the granted key with mode 0600 and never prints it", async () => {
    farm = await startSimulatedFarm({ count: 1, autoApprovePairing: true });
    const dir = await tempDir();
    const out = join(dir, "secret.txt");
    const streams = io();
    const code = await main(
      ["pair", "--url", farm.printers[0]!.url, "--out", out, "--user", "operator"],
      streams.io,
    );
    expect(code).toBe(0);
    const key = (await readFile(out, "utf8")).trim();
    expect(key).toMatch(/^[0-9A-F]{32}$/);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(streams.out()).toContain("Open OctoPrint");
    expect(streams.out()).toContain("approve the access request from apf-agent");
    expect(streams.out()).not.toContain(key);
    expect(streams.err()).toBe("");
  });

  it("exits 1 with one line when the request is denied", async () => {
    farm = await startSimulatedFarm({ count: 1 });
    const printer = farm.printers[0]!;
    const streams = io();
    const denier = setInterval(() => printer.denyPairing(), 50);
    try {
      const dir = await tempDir();
      const code = await main(
        ["pair", "--url", printer.url, "--out", join(dir, "k.txt"), "--timeout", "10"],
        streams.io,
      );
      expect(code).toBe(1);
    } finally {
      clearInterval(denier);
    }
    expect(streams.err()).toMatch(
      /^apf-agent: pair: The access request was denied in OctoPrint.*\n$/,
    );
  });

  it("exits 2 for a url that is not http(s)", async () => {
    const streams = io();
    expect(await main(["pair", "--url", "octopi.local"], streams.io)).toBe(2);
    expect(streams.err()).toBe(
      "apf-agent: --url must be an http:// or https:// URL (see apf-agent --help)\n",
    );
  });
});
