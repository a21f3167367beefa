import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LatestState } from "@apf/agent-core/latest-state";
import { chunkEntries } from "@apf/agent-core/report-chunks";
import { createReporter, type ReporterOptions } from "@apf/agent-core/reporter";
import { fileSecret, inlineSecret } from "@apf/agent-core/secret-provider";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor } from "../src/logger.ts";
import { entry } from "./helpers/entries.ts";
import { envelope, type FakeBackend, startFakeBackend } from "./helpers/fake-backend.ts";
import { until, unusedPort } from "./helpers/http-fake.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";
import { AGENT_TOKEN, tempDir } from "./helpers/temp-dir.ts";

const backends: FakeBackend[] = [];
const controllers: AbortController[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

async function backend(port?: number): Promise<FakeBackend> {
  const b = await startFakeBackend(port);
  backends.push(b);
  return b;
}

/** A sleep the test releases step by step; records every requested delay. */
function steppedSleep() {
  const delays: number[] = [];
  const waiting: Array<() => void> = [];
  return {
    delays,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        delays.push(ms);
        waiting.push(resolve);
        signal?.addEventListener("abort", () => resolve(), { once: true });
      }),
    release: () => waiting.shift()?.(),
  };
}

function setup(apiUrl: string, extra: Partial<ReporterOptions> = {}) {
  const redactor = createRedactor();
  redactor.add(AGENT_TOKEN);
  const { logger, lines, raw } = memoryLogger(redactor);
  const state = new LatestState();
  const reporter = createReporter({
    apiUrl,
    agentToken: inlineSecret(AGENT_TOKEN),
    state,
    logger,
    agent: { version: "0.1.0", hostname: "farm-pi" },
    now: () => Date.parse("2026-11-23T10:00:05.000Z"),
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  const sleeps: number[] = [];
  const controller = new AbortController();
  controllers.push(controller);
  return { reporter, state, lines, raw, sleeps, controller };
}

describe("reporter", () => {
  it("posts the newest state with the bearer token and clears it on 2xx", async () => {
    const b = await backend();
    const { reporter, state } = setup(`${b.url}/`);
    state.put([entry("a", 1), entry("b", 1)]);
    state.put([entry("a", 2)]);
    const result = await reporter.flush();
    expect(result).toEqual({ delivered: 2, dropped: 0, remaining: 0 });
    expect(b.requests[0]?.headers.authorization).toBe(`Bearer ${AGENT_TOKEN}`);
    expect(b.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(b.accepted).toEqual([
      {
        agent: { version: "0.1.0", hostname: "farm-pi" },
        sent_at: "2026-11-23T10:00:05.000Z",
        machines: [entry("a", 2), entry("b", 1)],
      },
    ]);
    expect(state.size).toBe(0);
  });

  it("backs off exponentially with full jitter up to the cap on 5xx, then delivers", async () => {
    const b = await backend();
    let calls = 0;
    b.respond = () =>
      ++calls <= 9 ? envelope(503, "UNAVAILABLE", "down for maintenance") : { status: 202 };
    const { reporter, state, sleeps, lines, controller } = setup(b.url);
    state.put([entry("a", 1)]);
    const running = reporter.run(controller.signal);
    // the backend records a report before its answer reaches the agent: wait for the agent's side
    await until(() => expect(state.size).toBe(0));
    controller.abort();
    await running;
    expect(b.accepted).toHaveLength(1);
    // random() = 0.5: half of min(60 s, 1 s·2^(n-1))
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(lines.filter((l) => l.level === 40)).toHaveLength(9);
    expect(
      lines.some(
        (l) =>
          l.msg === "backend reachable again; newest state delivered" && l.failed_attempts === 9,
      ),
    ).toBe(true);
    expect(state.size).toBe(0);
  });

  it("keeps only the newest state per machine while the backend is down and sends it when back", async () => {
    const port = await unusedPort();
    const stepped = steppedSleep();
    const { reporter, state, controller } = setup(`http://127.0.0.1:${port}`, {
      sleep: stepped.sleep,
    });
    state.put([entry("a", 1), entry("b", 1)]);
    reporter.notify();
    const running = reporter.run(controller.signal);
    await until(() => expect(stepped.delays).toHaveLength(1));
    for (let round = 2; round <= 6; round += 1) {
      state.put([entry("a", round), entry("b", round)]);
      reporter.notify();
    }
    const b = await backend(port);
    stepped.release();
    await until(() => expect(b.accepted).toHaveLength(1));
    controller.abort();
    await running;
    expect(b.accepted[0]?.machines).toEqual([entry("a", 6), entry("b", 6)]);
    expect(b.requests).toHaveLength(1);
  });

  it("waits at least Retry-After on 429", async () => {
    const b = await backend();
    let calls = 0;
    b.respond = () =>
      ++calls === 1
        ? envelope(429, "RATE_LIMITED", "slow down", { "retry-after": "7" })
        : { status: 202 };
    const { reporter, state, sleeps, controller } = setup(b.url, { random: () => 0 });
    state.put([entry("a")]);
    const running = reporter.run(controller.signal);
    await until(() => expect(b.accepted).toHaveLength(1));
    controller.abort();
    await running;
    expect(sleeps).toEqual([7000]);
  });

  it("logs a refused token once per backoff step and re-reads the token file before each retry", async () => {
    const dir = await tempDir({ "agent-token.txt": AGENT_TOKEN });
    const newToken = `apf_agent_${"cd".repeat(32)}`;
    const b = await backend();
    b.respond = (req) =>
      req.headers.authorization === `Bearer ${newToken}`
        ? { status: 202 }
        : envelope(401, "TOKEN_REVOKED", "token revoked");
    const stepped = steppedSleep();
    const agentToken = await fileSecret(join(dir, "agent-token.txt"));
    const { reporter, state, lines, raw, controller } = setup(b.url, {
      sleep: stepped.sleep,
      agentToken,
    });
    state.put([entry("a", 1)]);
    const running = reporter.run(controller.signal);
    await until(() => expect(stepped.delays).toHaveLength(1));
    // poll rounds keep coming while backing off: no new request, no new log line
    for (let round = 2; round <= 8; round += 1) {
      state.put([entry("a", round)]);
      reporter.notify();
    }
    const refused = () => lines.filter((l) => l.level === 50);
    expect(refused()).toHaveLength(1);
    expect(refused()[0]?.msg).toBe(
      "backend refused the agent token (TOKEN_REVOKED): create a new agent token in the dashboard and update agent_token_file",
    );
    expect(b.requests).toHaveLength(1);

    stepped.release();
    await until(() => expect(stepped.delays).toHaveLength(2));
    expect(refused()).toHaveLength(2);
    expect(stepped.delays[1]).toBeGreaterThan(stepped.delays[0]!);

    await writeFile(join(dir, "agent-token.txt"), `${newToken}\n`);
    stepped.release();
    await until(() => expect(b.accepted).toHaveLength(1));
    controller.abort();
    await running;
    expect(b.requests).toHaveLength(3);
    expect(b.accepted[0]?.machines).toEqual([entry("a", 8)]);
    expect(refused()).toHaveLength(2);
    expect(raw.join("")).not.toContain(AGENT_TOKEN);
    expect(raw.join("")).not.toContain(newToken);
  });

  it("drops a report answered 400 and logs the server's message, without retrying it", async () => {
    const b = await backend();
    b.respond = () =>
      envelope(400, "INVALID_REQUEST", "machines.0.octoprint.printer.state: Required");
    const { reporter, state, lines, sleeps, controller } = setup(b.url);
    state.put([entry("a", 1)]);
    const running = reporter.run(controller.signal);
    await until(() => expect(state.size).toBe(0));
    controller.abort();
    await running;
    expect(b.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    const error = lines.find((l) => l.level === 50);
    expect(error).toMatchObject({
      code: "INVALID_REQUEST",
      request_id: "req_test",
      machines: ["a"],
    });
    expect(error?.msg).toContain("machines.0.octoprint.printer.state: Required");
  });

  it("drops only the machine a 400 names and delivers the others at once", async () => {
    const b = await backend();
    b.respond = (_req, body) => {
      const index = body.machines.findIndex((m) => m.machine_id === "bad");
      return index >= 0
        ? envelope(
            400,
            "INVALID_REQUEST",
            "Invalid report: a message the agent does not parse.",
            undefined,
            {
              path: `machines.${index}.octoprint.printer.temperature.tool0.actual`,
              machine_index: index,
            },
          )
        : { status: 202, body: { success: true } };
    };
    const { reporter, state, lines } = setup(b.url);
    state.put([entry("a", 1), entry("bad", 1), entry("c", 1)]);
    expect(await reporter.flush()).toEqual({ delivered: 2, dropped: 1, remaining: 0 });
    expect(b.requests).toHaveLength(2);
    expect(b.accepted[0]!.machines.map((m) => m.machine_id)).toEqual(["a", "c"]);
    expect(lines.find((l) => l.level === 50)).toMatchObject({ machines: ["bad"] });
  });

  it("splits more than 1,000 machines into several reports", async () => {
    const b = await backend();
    const { reporter, state } = setup(b.url);
    state.put(Array.from({ length: 2500 }, (_, i) => entry(`m${i}`)));
    expect(await reporter.flush()).toEqual({ delivered: 2500, dropped: 0, remaining: 0 });
    expect(b.accepted.map((r) => r.machines.length)).toEqual([1000, 1000, 500]);
    for (const request of b.requests)
      expect(Buffer.byteLength(request.body)).toBeLessThan(5 * 1024 * 1024);
  });

  it("stops the pass at the first failure and keeps the rest pending", async () => {
    const b = await backend();
    let calls = 0;
    b.respond = () => (++calls === 1 ? { status: 202 } : envelope(500, "INTERNAL_ERROR", "boom"));
    const { reporter, state } = setup(b.url, { limits: { maxMachines: 2, maxBytes: 1 << 20 } });
    state.put([entry("a"), entry("b"), entry("c"), entry("d"), entry("e")]);
    const result = await reporter.flush();
    expect(result).toMatchObject({
      delivered: 2,
      dropped: 0,
      remaining: 3,
      failure: { kind: "unavailable", status: 500 },
    });
    expect(b.requests).toHaveLength(2);
  });
});

describe("chunkEntries", () => {
  it("keeps each report under the byte limit and drops an entry too large on its own", () => {
    const state = new LatestState();
    const big = entry("big", 0, { error: "x".repeat(5000) });
    state.put([entry("a"), entry("b"), big, entry("c")]);
    const oneEntry = Buffer.byteLength(JSON.stringify(entry("a"))) + 1;
    const maxBytes = 2 * oneEntry + 5;
    const { chunks, oversized } = chunkEntries(state.pending(), { maxMachines: 1000, maxBytes });
    expect(oversized.map((p) => p.entry.machine_id)).toEqual(["big"]);
    expect(chunks.map((c) => c.taken.map((p) => p.entry.machine_id))).toEqual([["a", "b"], ["c"]]);
    for (const chunk of chunks) expect(chunk.bytes).toBeLessThanOrEqual(maxBytes);
  });
});
