// The agent's calls to /agent/v1 go through the openapi-fetch client (agent-core/src/api): what
// reaches the wire, and how timeouts, redirects and odd answers come out.
import { sleep } from "@apf/agent-core/backoff";
import { createCommandChannel } from "@apf/agent-core/command-channel";
import { LatestState } from "@apf/agent-core/latest-state";
import { createReporter, type ReporterOptions } from "@apf/agent-core/reporter";
import { inlineSecret } from "@apf/agent-core/secret-provider";
import { afterEach, describe, expect, it } from "vitest";
import { entry } from "./helpers/entries.ts";
import { type FakeReply, type FakeServer, startFakeServer, until } from "./helpers/http-fake.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";
import { AGENT_TOKEN } from "./helpers/temp-dir.ts";

let server: FakeServer | undefined;
const controllers: AbortController[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await server?.close();
  server = undefined;
});

function reporter(apiUrl: string, extra: Partial<ReporterOptions> = {}) {
  const state = new LatestState();
  const { logger } = memoryLogger();
  const built = createReporter({
    apiUrl,
    agentToken: inlineSecret(AGENT_TOKEN),
    state,
    logger,
    agent: { version: "0.1.0", hostname: "farm-pi" },
    now: () => Date.parse("2026-11-23T10:00:05.000Z"),
    ...extra,
  });
  state.put([entry("a", 1)]);
  return built;
}

describe("reports through the generated client", () => {
  it("uses the injected fetch: one Request with the token, user agent and the JSON report", async () => {
    server = await startFakeServer(() => ({ status: 202, body: { success: true } }));
    const seen: Request[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (input instanceof Request) seen.push(input);
      return globalThis.fetch(input, init);
    };
    const result = await reporter(`${server.url}/farm/`, { fetch }).flush();

    expect(result).toEqual({ delivered: 1, dropped: 0, remaining: 0 });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${server.url}/farm/agent/v1/reports`,
    ]);
    const [received] = server.requests;
    expect(received?.headers.authorization).toBe(`Bearer ${AGENT_TOKEN}`);
    expect(received?.headers["user-agent"]).toBe("apf-agent/0.1.0");
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(received?.body ?? "")).toEqual({
      agent: { version: "0.1.0", hostname: "farm-pi" },
      sent_at: "2026-11-23T10:00:05.000Z",
      machines: [entry("a", 1)],
    });
  });

  it("settles a report on any 2xx, whatever its body", async () => {
    server = await startFakeServer(() => ({ status: 200, body: "<html>ok</html>" }));
    expect(await reporter(server.url).flush()).toEqual({ delivered: 1, dropped: 0, remaining: 0 });
  });

  it("fails a report that gets no answer in time as timed out, and keeps it", async () => {
    server = await startFakeServer(() => ({ status: 202, delayMs: 2_000 }));
    const result = await reporter(server.url, { requestTimeoutMs: 100 }).flush();
    expect(result.failure).toEqual({ kind: "unavailable", message: "timed out after 0.1 s" });
    expect(result.remaining).toBe(1);
  });

  it("does not follow a redirect: api_url is wrong, and the token stays here", async () => {
    server = await startFakeServer((req) =>
      req.path === "/agent/v1/reports"
        ? { status: 308, headers: { location: "/elsewhere/agent/v1/reports" } }
        : { status: 202 },
    );
    const result = await reporter(server.url).flush();
    expect(result.failure).toEqual({
      kind: "misconfigured",
      status: 308,
      message:
        "backend redirected to /elsewhere/agent/v1/reports: set api_url to the final address",
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe("the command long poll through the generated client", () => {
  it("asks with ?wait=, backs off from an answer that is not JSON, and polls again", async () => {
    const replies: FakeReply[] = [{ status: 200, body: "<html>login</html>" }];
    server = await startFakeServer(
      () => replies.shift() ?? { status: 200, body: { success: true, data: [] }, delayMs: 20 },
    );
    const { logger, lines } = memoryLogger();
    const stop = new AbortController();
    controllers.push(stop);
    const slept: number[] = [];
    const running = createCommandChannel({
      apiUrl: server.url,
      agentToken: inlineSecret(AGENT_TOKEN),
      logger,
      execute: async () => ({ ok: true, octoprint_status: 204, error: null }),
      userAgent: "apf-agent/test",
      waitS: 7,
      sleep: (ms, signal) => {
        slept.push(ms);
        return sleep(Math.min(ms, 5), signal);
      },
    }).run(stop.signal);
    await until(() => expect(server?.requests.length).toBeGreaterThanOrEqual(2));
    stop.abort();
    await running;

    expect(server.requests[0]?.path).toBe("/agent/v1/commands?wait=7");
    expect(server.requests[0]?.headers.accept).toBe("application/json");
    // A page instead of JSON (a wrong api_url) is a failure like any other: backed off, not a
    // tight loop.
    expect(slept.length).toBeGreaterThanOrEqual(1);
    expect(slept[0]).toBeGreaterThan(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "command channel unavailable; retrying",
        error: "the answer is not JSON (is api_url right?)",
      }),
    );
  });
});
