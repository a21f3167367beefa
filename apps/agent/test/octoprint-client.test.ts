import { createOctoPrintClient, joinUrl } from "@apf/agent-core/octoprint";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOctoPrint, FIXTURES, startFakeOctoPrint } from "./helpers/fake-octoprint.ts";
import { startFakeServer, unusedPort } from "./helpers/http-fake.ts";

let fake: FakeOctoPrint | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("joinUrl", () => {
  it("joins with or without trailing slash and keeps a path prefix", () => {
    expect(joinUrl("http://h:5000", "/api/job")).toBe("http://h:5000/api/job");
    expect(joinUrl("http://h:5000/", "/api/job")).toBe("http://h:5000/api/job");
    expect(joinUrl("http://h/octoprint", "/api/job")).toBe("http://h/octoprint/api/job");
    expect(joinUrl("http://h/octoprint//", "api/job")).toBe("http://h/octoprint/api/job");
    expect(joinUrl("http://u:p@h/", "/api/job?x=1")).toBe("http://h/api/job?x=1");
  });
});

describe("createOctoPrintClient", () => {
  it("returns the body of a 200 and sends X-Api-Key", async () => {
    fake = await startFakeOctoPrint("KEY-1234567890");
    const client = createOctoPrintClient({
      baseUrl: `${fake.url}/`,
      apiKey: () => "KEY-1234567890",
    });
    expect(await client.getVersion()).toEqual({ ok: true, status: 200, body: FIXTURES.version });
    expect(await client.getPrinter()).toEqual({ ok: true, status: 200, body: FIXTURES.printer });
    expect(await client.getJob()).toEqual({ ok: true, status: 200, body: FIXTURES.job });
    expect(fake.requests.map((r) => [r.path, r.headers["x-api-key"]])).toEqual([
      ["/api/version", "KEY-1234567890"],
      ["/api/printer", "KEY-1234567890"],
      ["/api/job", "KEY-1234567890"],
    ]);
  });

  it("keeps a path prefix of the base URL", async () => {
    fake = await startFakeOctoPrint("K");
    const client = createOctoPrintClient({ baseUrl: `${fake.url}/octoprint/`, apiKey: () => "K" });
    expect((await client.getJob()).ok).toBe(true);
    expect(fake.requests[0]?.path).toBe("/octoprint/api/job");
  });

  it("reports 409 on /api/printer as not_operational", async () => {
    fake = await startFakeOctoPrint("K");
    fake.disconnected = true;
    const client = createOctoPrintClient({ baseUrl: fake.url, apiKey: () => "K" });
    expect(await client.getPrinter()).toMatchObject({
      ok: false,
      kind: "not_operational",
      status: 409,
    });
  });

  it("reports 403 as auth and asks for the key on every request", async () => {
    fake = await startFakeOctoPrint("RIGHT");
    let key = "WRONG";
    const client = createOctoPrintClient({ baseUrl: fake.url, apiKey: () => key });
    expect(await client.getPrinter()).toMatchObject({ ok: false, kind: "auth", status: 403 });
    key = "RIGHT";
    expect(await client.getPrinter()).toMatchObject({ ok: true, status: 200 });
  });

  it("reports 401 as auth and a 500 as http", async () => {
    const server = await startFakeServer((req) => ({
      status: req.path === "/api/job" ? 401 : 500,
      body: {},
    }));
    try {
      const client = createOctoPrintClient({ baseUrl: server.url, apiKey: () => "K" });
      expect(await client.getJob()).toMatchObject({ ok: false, kind: "auth", status: 401 });
      expect(await client.getPrinter()).toMatchObject({ ok: false, kind: "http", status: 500 });
    } finally {
      await server.close();
    }
  });

  it("reports a body that is not JSON as http", async () => {
    const server = await startFakeServer(() => ({ status: 200, body: "<html>login</html>" }));
    try {
      const client = createOctoPrintClient({ baseUrl: server.url, apiKey: () => "K" });
      expect(await client.getJob()).toMatchObject({ ok: false, kind: "http", status: 200 });
    } finally {
      await server.close();
    }
  });

  it("reports a host that answers too late as timeout", async () => {
    fake = await startFakeOctoPrint("K");
    fake.delayMs = 2000;
    const client = createOctoPrintClient({ baseUrl: fake.url, apiKey: () => "K", timeoutMs: 100 });
    expect(await client.getVersion()).toEqual({
      ok: false,
      kind: "timeout",
      message: "timed out after 0.1 s",
    });
  });

  it("reports connection refused as unreachable, without throwing", async () => {
    const port = await unusedPort();
    const client = createOctoPrintClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: () => "K",
    });
    expect(await client.getPrinter()).toEqual({
      ok: false,
      kind: "unreachable",
      message: "connection refused (ECONNREFUSED)",
    });
  });

  it("sends credentials of the base URL as basic auth instead of failing", async () => {
    fake = await startFakeOctoPrint("K");
    const client = createOctoPrintClient({
      baseUrl: fake.url.replace("http://", "http://pi:rasp@"),
      apiKey: () => "K",
    });
    expect((await client.getJob()).ok).toBe(true);
    expect(fake.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("pi:rasp").toString("base64")}`,
    );
  });
});
