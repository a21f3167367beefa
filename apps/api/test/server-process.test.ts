import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort, PrivateRedis, redisServerMissing } from "./support/private-redis.ts";
import { ServerProcess } from "./support/server-process.ts";

const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop("SIGKILL")));
});

async function startServer(env: Record<string, string>) {
  const server = new ServerProcess(await freePort(), env);
  started.push(server);
  return server;
}

describe("npm start with no configuration", () => {
  it("answers /healthz on embedded PGlite, prints the demo owner and a working curl line, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "apf-data-"));
    const server = await startServer({ APF_DATA_DIR: dataDir });
    const health = await server.waitForHttp("/healthz", 150_000);
    expect(health.status).toBe(200);
    const ready = await (await fetch(`${server.url}/readyz`)).json();
    expect(ready.checks.database).toEqual({ status: "up", kind: "embedded" });
    expect(ready.checks.redis.status).toBe("not_configured");
    expect(server.output).toMatch(/embedded PGlite/);
    expect(server.output).toMatch(/in this process only/);
    // A fresh data dir: every migration is applied, and the log says so.
    expect(server.output).toMatch(/migrations: applied 0000_init .*\(\d+ new\), schema at \d{4}_/);
    await vi.waitFor(() => expect(server.output).toContain("curl -s"), {
      timeout: 60_000,
      interval: 100,
    });
    expect(server.output).toMatch(/demo@apf\.local\s+\/\s+\S{12,}/);

    // The printed curl line, run as printed: 200 with the demo's live printers.
    const curl = server.output.match(
      /curl -s (\S+) -H 'Authorization: Bearer (apf_live_[0-9a-f]{64})'/,
    );
    expect(curl).not.toBeNull();
    const [, url, key] = curl!;
    const res = await fetch(url!, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.success).toBe(true);
    expect(Array.isArray(body.data)).toBe(true);
    // The banner names the key's scopes as the key holds them: read, and printer control.
    const named = server.output.match(/API key \(([^)]+)\):/)![1]!.split(" ");
    const keyInfo = await (
      await fetch(`${url!.replace(/\/printers$/, "/me")}`, {
        headers: { Authorization: `Bearer ${key}` },
      })
    ).json();
    expect(keyInfo.data.key.scopes).toEqual(named);
    expect(named).toEqual(expect.arrayContaining(["printers:read", "printers:control"]));

    // The printed dashboard URL serves the dashboard; the printed sign-in opens it on the demo farm.
    const dashboard = server.output.match(/dashboard:\s+(http\S+\/dashboard)\s/);
    expect(dashboard).not.toBeNull();
    const page = await fetch(dashboard![1]!);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    const [, email, password] = server.output.match(/sign in as (\S+)\s+\/\s+(\S+)/)!;
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const session = (await login.json()).data.session_token as string;
    const auth = { Authorization: `Bearer ${session}` };
    const me = await (await fetch(`${server.url}/api/me`, { headers: auth })).json();
    const org = me.data.memberships[0].organization.id;
    const printers = await (
      await fetch(`${server.url}/api/orgs/${org}/printers`, { headers: auth })
    ).json();
    expect(printers.data).toHaveLength(3);
    expect(await server.stop("SIGTERM")).toBe(0);
  }, 240_000);
});

describe.runIf(process.env.APF_TEST_DATABASE_URL && !redisServerMissing)(
  "npm start with DATABASE_URL and REDIS_URL",
  () => {
    let database: TestDatabase;
    let redis: PrivateRedis;
    afterAll(async () => {
      await redis?.stop();
      await database?.close();
    });

    it("reports both up, reports Redis down (503) while it is stopped, and keeps running", async () => {
      database = await createTestDatabase();
      redis = await PrivateRedis.start();
      const server = await startServer({ DATABASE_URL: database.url!, REDIS_URL: redis.url });
      await server.waitForHttp("/healthz", 60_000);
      const up = await fetch(`${server.url}/readyz`);
      expect(up.status).toBe(200);
      expect((await up.json()).checks).toEqual({
        database: { status: "up", kind: "postgres" },
        redis: { status: "up" },
      });
      expect(server.output).not.toMatch(/demo@apf\.local/);
      // The database was copied from a migrated template: nothing to apply.
      expect(server.output).toMatch(/migrations: schema up to date at \d{4}_\w+/);

      await redis.stop();
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect((await down.json()).checks.redis.status).toBe("down");
      expect(server.alive).toBe(true);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await server.stop("SIGTERM")).toBe(0);
    }, 120_000);
  },
);
