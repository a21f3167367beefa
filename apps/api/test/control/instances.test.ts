// The control request and the agent's channel on different API instances (shared Postgres,
// Redis pub/sub between them), and the single-instance path on the embedded database.
import { randomBytes } from "node:crypto";
import { createDatabase } from "@apf/db";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { channelOpen, control, controlFarm, fakeAgentLoop, getCommand } from "./helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

const opened: TestServices[] = [];
afterAll(async () => {
  for (const s of opened.reverse()) await s.close();
});

describe.skipIf(!process.env.APF_TEST_REDIS_URL)("two API instances on Postgres and Redis", () => {
  it("a control request on one reaches the agent polling the other, and the result comes back", async () => {
    // One deployment: the same database, the same Redis namespace (and so the same bus channel).
    const redisPrefix = `apf-test:${randomBytes(6).toString("hex")}`;
    const first = await createTestServices({ redisPrefix });
    opened.push(first);
    const second = await createTestServices({
      database: first.database,
      redisPrefix,
      clock: first.clock,
    });
    opened.push(second);
    expect(first.commandBus.kind).toBe("redis");
    const a = createApp(first);
    const b = createApp(second);
    const farm = await controlFarm(first);
    const agent = fakeAgentLoop(b, farm.agent.token);
    await channelOpen(first, farm.agent.id);
    const res = await control(a, farm.key, farm.printer.id, "pause");
    await agent.stop();
    expect(res.status).toBe(200);
    expect(res.body.data!.status).toBe("acknowledged");
    expect(agent.received.map((c) => c.id)).toEqual([res.body.data!.command_id]);
    expect((await getCommand(b, farm.key, res.body.data!.command_id)).body.data!.status).toBe(
      "acknowledged",
    );
  });
});

describe("one instance on the embedded database (in-process bus)", () => {
  // Starting PGlite (WASM) and migrating it takes a while on a busy machine.
  it("carries a command from the control request to the agent's channel and back", {
    timeout: 120_000,
  }, async () => {
    const handle = await createDatabase({ dataDir: "memory://" });
    const services = await createTestServices({ database: { ...handle, url: null }, redis: false });
    opened.push(services);
    expect(services.dbKind).toBe("embedded");
    expect(services.commandBus.kind).toBe("in-process");
    const app = createApp(services);
    const farm = await controlFarm(services, { status: "paused" });
    const agent = fakeAgentLoop(app, farm.agent.token);
    await channelOpen(services, farm.agent.id);
    const res = await control(app, farm.key, farm.printer.id, "resume");
    await agent.stop();
    await handle.close();
    expect(res.status).toBe(200);
    expect(agent.received).toEqual([expect.objectContaining({ action: "resume" })]);
  });
});
