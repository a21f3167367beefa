import net from "node:net";
import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAgent, createApiKey, createOrganization } from "../support/factories.ts";
import { freePort } from "../support/private-redis.ts";
import { ServerProcess } from "../support/server-process.ts";

/** A raw TCP connection to the server, collecting what it answers. */
async function connect(port: number) {
  const socket = net.connect({ host: "127.0.0.1", port });
  const state = { data: "", closed: false };
  socket.on("data", (d) => {
    state.data += d.toString();
  });
  socket.on("close", () => {
    state.closed = true;
  });
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return { socket, state };
}

describe.runIf(process.env.APF_TEST_DATABASE_URL)("the server process under stress", () => {
  let database: TestDatabase;
  let key: string;
  let agentToken: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { organization } = await createOrganization(database.db);
    key = (await createApiKey(database.db, organization.id)).key;
    agentToken = (await createAgent(database.db, organization.id)).token;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop("SIGKILL")));
    await database?.close();
  });

  async function start(env: Record<string, string> = {}) {
    const server = new ServerProcess(await freePort(), {
      DATABASE_URL: database.url!,
      APF_DEMO: "off",
      LOG_LEVEL: "warn",
      ...env,
    });
    servers.push(server);
    // (a cold start of tsx on a busy machine can take a while)
    await server.waitForHttp("/healthz", 60_000);
    return server;
  }

  it("on SIGTERM under load finishes requests in flight, refuses new connections and exits 0", async () => {
    const server = await start();
    const report = JSON.stringify({
      agent: { version: "1.0.0", hostname: "pi" },
      sent_at: new Date().toISOString(),
      machines: [],
    });
    // A request in flight: headers and half of the body sent before the signal.
    const { socket, state } = await connect(server.port);
    socket.write(
      `POST /agent/v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${agentToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(report)}\r\n\r\n` +
        report.slice(0, 20),
    );
    // Load: integrator reads on several connections at once, one connection per request (a
    // request sent on an idle keep-alive connection as the server closes it never reached it).
    let stopping = false;
    const outcomes: string[] = [];
    const workers = Array.from({ length: 8 }, async () => {
      while (!stopping) {
        try {
          const res = await fetch(`${server.url}/public/v1/printers`, {
            headers: { authorization: `Bearer ${key}`, connection: "close" },
          });
          outcomes.push(String(res.status));
          await res.arrayBuffer();
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code ?? "error";
          outcomes.push(code);
          if (code === "ECONNREFUSED") return;
        }
      }
    });
    await vi.waitFor(() => expect(outcomes.length).toBeGreaterThan(10), { timeout: 20_000 });

    const exit = server.stop("SIGTERM");
    expect(server.alive).toBe(true);
    // New connections are refused while the one in flight is still open.
    await vi.waitFor(
      async () => {
        await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      },
      { timeout: 10_000 },
    );
    socket.write(report.slice(20));
    await vi.waitFor(() => expect(state.data).toMatch(/^HTTP\/1\.1 202 /), { timeout: 10_000 });
    stopping = true;
    await Promise.all(workers);

    expect(await exit).toBe(0);
    // Every request the server read was answered 200 (no 5xx, nothing cut mid-answer). A
    // connection still in the kernel's accept queue when listening stops is reset rather than
    // refused: either way it never reached the server, and the client may retry elsewhere.
    expect(outcomes.filter((o) => !["200", "ECONNREFUSED", "ECONNRESET"].includes(o))).toEqual([]);
    expect(outcomes.filter((o) => o === "200").length).toBeGreaterThan(10);
  }, 90_000);

  it("closes connections whose headers or body trickle past their deadlines, and refuses connections past APF_MAX_CONNECTIONS", async () => {
    const server = await start({
      APF_HEADERS_TIMEOUT_MS: "3000",
      APF_REQUEST_TIMEOUT_MS: "4000",
      APF_MAX_CONNECTIONS: "2",
    });
    // Two connections held (each sends a little), a third refused at once.
    const slowHeaders = await connect(server.port);
    slowHeaders.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const trickle = setInterval(() => slowHeaders.socket.write("X-Slow: 1\r\n"), 200);
    const slowBody = await connect(server.port);
    slowBody.socket.write(
      "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{",
    );
    const drip = setInterval(() => slowBody.socket.write(" "), 200);
    try {
      const third = await connect(server.port);
      await vi.waitFor(() => expect(third.state.closed).toBe(true), { timeout: 2000 });
      expect(third.state.data).toBe("");
      expect(slowHeaders.state.closed || slowBody.state.closed).toBe(false);

      // Slowloris: headers never finish; a trickled body never finishes either.
      await vi.waitFor(() => expect(slowHeaders.state.closed).toBe(true), { timeout: 15_000 });
      expect(slowHeaders.state.data).toMatch(/^HTTP\/1\.1 408 /);
      await vi.waitFor(() => expect(slowBody.state.closed).toBe(true), { timeout: 15_000 });
      expect(slowBody.state.data).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
      clearInterval(drip);
    }
    // Both slots free again: the server accepts and answers.
    await vi.waitFor(async () => expect((await fetch(`${server.url}/healthz`)).status).toBe(200), {
      timeout: 5000,
    });
  }, 90_000);
});
