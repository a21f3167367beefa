import { createOctoPrintClient, obtainAppKey } from "@apf/agent-core/octoprint";
import { type SimulatedFarm, startSimulatedFarm } from "@apf/printers/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer, unusedPort } from "./helpers/http-fake.ts";

let farm: SimulatedFarm | undefined;
let server: FakeServer | undefined;
afterEach(async () => {
  await farm?.close();
  await server?.close();
  farm = undefined;
  server = undefined;
});

const fast = { pollIntervalMs: 20, timeoutMs: 5000 };

describe("obtainAppKey against the simulator", () => {
  it("returns the key once the request is approved, and that key works", async () => {
    farm = await startSimulatedFarm({ count: 1 });
    const printer = farm.printers[0]!;
    let pendingCalls = 0;
    const result = await obtainAppKey({
      baseUrl: printer.url,
      user: "operator",
      ...fast,
      onPending: ({ authDialogUrl }) => {
        pendingCalls += 1;
        expect(authDialogUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/plugin\/appkeys\/auth\//);
        // The owner clicks Allow while the agent polls: decided now, seen at the next poll
        // (polling while pending is the fakes' test below, without any timing).
        printer.approvePairing();
      },
    });
    expect(pendingCalls).toBe(1);
    if (!result.ok) throw new Error(`pairing failed: ${result.message}`);
    const client = createOctoPrintClient({ baseUrl: printer.url, apiKey: () => result.apiKey });
    expect((await client.getVersion()).ok).toBe(true);
  });

  it("reports a denied request as denied", async () => {
    farm = await startSimulatedFarm({ count: 1 });
    const printer = farm.printers[0]!;
    const result = await obtainAppKey({
      baseUrl: printer.url,
      ...fast,
      onPending: () => printer.denyPairing(),
    });
    expect(result).toMatchObject({ ok: false, kind: "denied", status: 404 });
  });

  it("gives up with timeout when nobody decides in time", async () => {
    farm = await startSimulatedFarm({ count: 1 });
    const result = await obtainAppKey({
      baseUrl: farm.printers[0]!.url,
      pollIntervalMs: 20,
      timeoutMs: 150,
    });
    expect(result).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("stops with aborted when the signal aborts", async () => {
    farm = await startSimulatedFarm({ count: 1 });
    const controller = new AbortController();
    const result = await obtainAppKey({
      baseUrl: farm.printers[0]!.url,
      ...fast,
      signal: controller.signal,
      onPending: () => controller.abort(),
    });
    expect(result).toMatchObject({ ok: false, kind: "aborted" });
  });
});

describe("obtainAppKey against fakes", () => {
  it("reports a missing plugin (probe 404) as unsupported without requesting", async () => {
    server = await startFakeServer(() => ({ status: 404, body: { error: "Not Found" } }));
    const result = await obtainAppKey({ baseUrl: server.url, ...fast });
    expect(result).toMatchObject({ ok: false, kind: "unsupported", status: 404 });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /plugin/appkeys/probe",
    ]);
  });

  it("sends app and user, follows a relative Location and polls until granted", async () => {
    let polls = 0;
    server = await startFakeServer((req) => {
      if (req.path.endsWith("/plugin/appkeys/probe")) return { status: 204 };
      if (req.method === "POST")
        return {
          status: 201,
          headers: { location: "/prefix/plugin/appkeys/request/tok" },
          body: { app_token: "tok" },
        };
      polls += 1;
      return polls < 3 ? { status: 202 } : { status: 200, body: { api_key: "GRANTED-KEY-1" } };
    });
    const result = await obtainAppKey({
      baseUrl: `${server.url}/prefix/`,
      app: "apf-agent",
      user: "me",
      ...fast,
    });
    expect(result).toEqual({ ok: true, apiKey: "GRANTED-KEY-1" });
    const post = server.requests.find((r) => r.method === "POST");
    expect(post?.path).toBe("/prefix/plugin/appkeys/request");
    expect(JSON.parse(post?.body ?? "{}")).toEqual({ app: "apf-agent", user: "me" });
    expect(
      server.requests.filter((r) => r.path === "/prefix/plugin/appkeys/request/tok"),
    ).toHaveLength(3);
  });

  it("reports an unreachable host as unreachable", async () => {
    const result = await obtainAppKey({
      baseUrl: `http://127.0.0.1:${await unusedPort()}`,
      ...fast,
    });
    expect(result).toMatchObject({ ok: false, kind: "unreachable" });
  });
});
