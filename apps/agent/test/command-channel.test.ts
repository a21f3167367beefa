import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sleep } from "@apf/agent-core/backoff";
import { type CommandChannelOptions, createCommandChannel } from "@apf/agent-core/command-channel";
import type {
  CommandContext,
  CommandOutcome,
  ReceivedCommand,
} from "@apf/agent-core/command-executor";
import { fileSecret, inlineSecret } from "@apf/agent-core/secret-provider";
import { afterEach, describe, expect, it, vi } from "vitest";
import { envelope } from "./helpers/fake-backend.ts";
import {
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
  until,
} from "./helpers/http-fake.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";
import { AGENT_TOKEN, tempDir } from "./helpers/temp-dir.ts";

const PAUSE: ReceivedCommand = {
  id: "cmd-1",
  machine_id: "printer-1",
  action: "pause",
  requested_at: "2026-12-07T04:00:00.000Z",
};
const DONE: CommandOutcome = { ok: true, octoprint_status: 204, error: null };

let server: FakeServer | undefined;
let stop: AbortController | undefined;
afterEach(async () => {
  stop?.abort();
  await server?.close();
  server = undefined;
});

const isPoll = (r: RecordedRequest) =>
  r.method === "GET" && r.path.startsWith("/agent/v1/commands?");
const isResult = (r: RecordedRequest) => r.path.endsWith("/result");
const isProgress = (r: RecordedRequest) => r.path.endsWith("/progress");
// An empty long poll answers after a moment, as the real one does after `wait` seconds.
const EMPTY: FakeReply = { status: 200, body: { data: [] }, delayMs: 20 };

function channel(url: string, overrides: Partial<CommandChannelOptions>) {
  const { logger, lines } = memoryLogger();
  stop = new AbortController();
  const ch = createCommandChannel({
    apiUrl: url,
    agentToken: inlineSecret(AGENT_TOKEN),
    logger,
    execute: async () => DONE,
    userAgent: "apf-agent/test",
    // Backoff steps shortened so an outage passes quickly; the order of events is what counts.
    sleep: (ms, signal) => sleep(Math.min(ms, 5), signal),
    ...overrides,
  });
  return { ch, lines, running: ch.run(stop.signal) };
}

describe("command results", () => {
  it("keeps a result the backend could not take and sends it when the backend answers again", async () => {
    let down = false;
    let handedOut = 0;
    server = await startFakeServer((req) => {
      if (down) return envelope(503, "UNAVAILABLE", "restarting");
      if (isResult(req)) return { status: 200, body: { success: true } };
      // The command is handed out twice (once more after the outage): it must run only once.
      if (isPoll(req) && handedOut < 2) {
        handedOut += 1;
        return { status: 200, body: { data: [PAUSE] } };
      }
      return EMPTY;
    });
    const execute = vi.fn(async () => {
      down = true; // the backend goes away while the printer pauses
      return DONE;
    });
    const { ch, lines } = channel(server.url, { execute });
    await until(() => expect(ch.undelivered().get(PAUSE.id)).toEqual(DONE));
    down = false;
    await until(() => expect(ch.undelivered().size).toBe(0));

    expect(execute).toHaveBeenCalledTimes(1);
    const delivered = server.requests.filter(isResult).slice(-1)[0];
    expect(delivered?.path).toBe(`/agent/v1/commands/${PAUSE.id}/result`);
    expect(JSON.parse(delivered?.body ?? "{}")).toEqual(DONE);
    expect(lines.map((l) => l.msg)).toContain(
      "command result delivered after the backend came back",
    );
  });

  it("drops the oldest kept result past the bound", async () => {
    const commands = ["a", "b", "c"].map((id) => ({ ...PAUSE, id }));
    let handed = false;
    server = await startFakeServer((req) => {
      if (isResult(req)) return envelope(503, "UNAVAILABLE", "down");
      if (isPoll(req) && !handed) {
        handed = true;
        return { status: 200, body: { data: commands } };
      }
      return envelope(503, "UNAVAILABLE", "down");
    });
    const { ch, lines } = channel(server.url, { maxUndelivered: 2 });
    await until(() =>
      expect(lines.map((l) => l.msg)).toContain(
        "too many undelivered command results; dropped the oldest",
      ),
    );
    expect(ch.undelivered().size).toBe(2);
  });
});

describe("a revoked agent token", () => {
  it("stops the channel after one request and says so once", async () => {
    server = await startFakeServer(() => envelope(401, "TOKEN_REVOKED", "agent token revoked"));
    const onRevoked = vi.fn();
    const { running } = channel(server.url, { onRevoked });
    await running;
    expect(onRevoked).toHaveBeenCalledTimes(1);
    expect(onRevoked).toHaveBeenCalledWith(401);
    expect(server.requests).toHaveLength(1);
  });

  it("goes on with a token file that was replaced meanwhile", async () => {
    const fresh = `apf_agent_${"cd".repeat(32)}`;
    const dir = await tempDir({ "agent-token.txt": AGENT_TOKEN });
    const token = await fileSecret(join(dir, "agent-token.txt"));
    await writeFile(join(dir, "agent-token.txt"), fresh);
    server = await startFakeServer((req) =>
      req.headers.authorization === `Bearer ${fresh}`
        ? EMPTY
        : envelope(401, "TOKEN_REVOKED", "agent token revoked"),
    );
    const onRevoked = vi.fn();
    channel(server.url, { onRevoked, agentToken: token });
    await until(() =>
      expect(server?.requests.some((r) => r.headers.authorization === `Bearer ${fresh}`)).toBe(
        true,
      ),
    );
    expect(onRevoked).not.toHaveBeenCalled();
  });
});

describe("transfer progress", () => {
  async function progressRun(progressReply: FakeReply) {
    let handed = false;
    server = await startFakeServer((req) => {
      if (isProgress(req)) return progressReply;
      if (isResult(req)) return { status: 200, body: { success: true } };
      if (isPoll(req) && !handed) {
        handed = true;
        return { status: 200, body: { data: [{ ...PAUSE, action: "print" }] } };
      }
      return EMPTY;
    });
    let t = 0;
    const execute = async (_command: ReceivedCommand, context?: CommandContext) => {
      // Three reports 1 s apart, each awaited: only the throttle and the answers decide.
      for (const percent of [10, 20, 30]) {
        await context?.progress("downloading", percent);
        t += 1000;
      }
      return DONE;
    };
    const { ch } = channel(server.url, { execute, monotonic: () => t });
    await until(() => expect(server?.requests.filter(isResult)).toHaveLength(1));
    expect(ch.undelivered().size).toBe(0);
    return server.requests.filter(isProgress);
  }

  it("posts {stage, percent} to the command's progress route", async () => {
    const posts = await progressRun({ status: 200, body: { success: true } });
    expect(posts.map((p) => JSON.parse(p.body))).toEqual([
      { stage: "downloading", percent: 10 },
      { stage: "downloading", percent: 20 },
      { stage: "downloading", percent: 30 },
    ]);
    expect(posts[0]?.path).toBe(`/agent/v1/commands/${PAUSE.id}/progress`);
  });

  it("stops posting progress after a 404 from an older backend, and the command still completes", async () => {
    const posts = await progressRun(envelope(404, "NOT_FOUND", "no such route"));
    expect(posts).toHaveLength(1);
  });
});
