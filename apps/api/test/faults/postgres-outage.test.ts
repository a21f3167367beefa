import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.ts";
import { createApiKey, createOrganization } from "../support/factories.ts";
import { freePort } from "../support/private-redis.ts";
import { ServerProcess } from "../support/server-process.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";

// The API as a real process, talking to the shared Postgres through a proxy of this test's own
// that the test cuts and hangs; Postgres itself is never touched.
describe.runIf(process.env.APF_TEST_DATABASE_URL)("Postgres unreachable", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { organization } = await createOrganization(database.db);
    key = (await createApiKey(database.db, organization.id)).key;
    const target = new URL(database.url!);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    // Default timeouts (APF_DB_CONNECT_TIMEOUT_MS, APF_DB_QUERY_TIMEOUT_MS): what production runs.
    server = new ServerProcess(await freePort(), {
      DATABASE_URL: proxy.rewrite(database.url!),
      APF_DEMO: "off",
      LOG_LEVEL: "warn",
    });
    // (a cold start of tsx on a busy machine can take a while)
    await server.waitForHttp("/healthz", 60_000);
  }, 90_000);
  afterAll(async () => {
    await server?.stop("SIGKILL");
    await proxy?.close();
    await database?.close();
  });

  const printers = () =>
    fetch(`${server.url}/public/v1/printers`, { headers: { authorization: `Bearer ${key}` } });
  const login = () =>
    fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody@example.com", password: "long enough password" }),
    });

  /** The answer and how long it took, in ms. */
  async function timed(request: () => Promise<Response>) {
    const started = performance.now();
    const res = await request();
    const body = await res.json();
    return { status: res.status, body, ms: performance.now() - started };
  }

  async function expectUnavailableFast() {
    for (const request of [printers, login, printers]) {
      const { status, body, ms } = await timed(request);
      expect(status).toBe(503);
      expect(body.code).toBe("UNAVAILABLE");
      expect(JSON.stringify(body)).not.toMatch(/ECONN|timeout exceeded|stack/i);
      // The defaults bound this to under 2 s (1 s connect + 1.5 s statement at worst, checked
      // below); the wall clock gets slack, since a shared test machine can be slow by itself.
      expect(ms).toBeLessThan(5000);
    }
    const ready = await timed(() => fetch(`${server.url}/readyz`));
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database.status).toBe("down");
    expect(server.alive).toBe(true);
  }

  // Recovery needs no restart: the pool reconnects on the next request (within 5 s on an idle
  // machine; the poll allows more for a busy shared one).
  async function expectRecoveredWithin5s() {
    await expect
      .poll(async () => (await printers()).status, { timeout: 15_000, interval: 100 })
      .toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }

  it("bounds waiting on Postgres by default: 1 s to connect, 1.5 s per statement", () => {
    const env = parseEnv({});
    expect(env.APF_DB_CONNECT_TIMEOUT_MS).toBe(1000);
    expect(env.APF_DB_QUERY_TIMEOUT_MS).toBe(1500);
    expect(Math.max(env.APF_DB_CONNECT_TIMEOUT_MS, env.APF_DB_QUERY_TIMEOUT_MS)).toBeLessThan(2000);
  });

  it("answers 503 UNAVAILABLE within 2 s while Postgres refuses connections, stays up, and recovers by itself", {
    timeout: 60_000,
  }, async () => {
    expect((await printers()).status).toBe(200);
    await proxy.cut();
    await expectUnavailableFast();
    await proxy.restore();
    await expectRecoveredWithin5s();
  });

  it("answers 503 UNAVAILABLE within 2 s while Postgres accepts but never answers, and recovers by itself", {
    timeout: 60_000,
  }, async () => {
    expect((await printers()).status).toBe(200);
    proxy.hang();
    await expectUnavailableFast();
    await proxy.restore();
    await expectRecoveredWithin5s();
  });
});
