import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort } from "./support/private-redis.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));

// `npm start` itself: prestart compiles dist/api.mjs, then node runs the bundle. The other
// process tests run the TypeScript sources; this one checks that the bundle still finds the files
// its sources read next to themselves (migrations, common passwords, dashboard client, Scalar).
describe.runIf(process.env.APF_TEST_DATABASE_URL)("npm start (the compiled bundle)", () => {
  let database: TestDatabase | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    // npm and the node it started form one process group of their own.
    if (child?.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    await database?.close();
  });

  it("builds dist/api.mjs, honours PORT, HOST, DATABASE_URL and REDIS_URL, and serves what reads files", async () => {
    database = await createTestDatabase();
    const port = await freePort();
    const startedAt = Date.now();
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: database.url!,
      REDIS_URL: process.env.APF_TEST_REDIS_URL,
      LOG_LEVEL: "info",
      APF_DEMO: undefined,
    };
    let output = "";
    child = spawn("npm", ["start"], { cwd: root, env, detached: true });
    child.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr!.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise((resolve) => child!.once("exit", (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;

    const health = await vi.waitFor(
      () => {
        if (child!.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
        return fetch(`${base}/healthz`);
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(health.status).toBe(200);
    expect(statSync(`${root}dist/api.mjs`).mtimeMs).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(output).toContain("using PostgreSQL from DATABASE_URL");
    expect(output).toContain(`listening on http://127.0.0.1:${port}`);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).checks).toEqual({
      database: { status: "up", kind: "postgres" },
      redis: process.env.APF_TEST_REDIS_URL
        ? { status: "up" }
        : expect.objectContaining({ status: "not_configured" }),
    });

    // The dashboard's client as npm run build wrote it (dist/dashboard), under its hashed name.
    const shell = await (await fetch(`${base}/dashboard`)).text();
    const scriptPath = /src="(\/dashboard\/assets\/app-\w+\.js)"/.exec(shell)?.[1];
    expect(scriptPath, shell).toBeDefined();
    const built = JSON.parse(readFileSync(`${root}dist/dashboard/manifest.json`, "utf8"));
    expect(scriptPath).toBe(`/dashboard/assets/${built.script}`);
    const script = await fetch(`${base}${scriptPath}`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(readFileSync(`${root}dist/dashboard/${built.script}`, "utf8"));
    const scalar = await fetch(`${base}/docs/scalar.js`);
    expect(scalar.status).toBe(200);
    expect((await scalar.text()).length).toBeGreaterThan(100_000);
    const common = await fetch(`${base}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: `compiled-${port}@example.com`,
        password: "password123",
        organization_name: "Compiled",
      }),
    });
    expect(common.status).toBe(400);
    expect((await common.json()).error).toMatch(/common/);

    // A supervisor signals npm only: the API still gets the signal and stops cleanly.
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("stopped");
  }, 60_000);
});
