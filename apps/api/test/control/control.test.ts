import { apiKeys, auditEvents, commandChannels, commands, memberships, printers } from "@apf/db";
import { revokeAgent } from "@apf/db/queries/agents";
import { hasOpenCommandChannel } from "@apf/db/queries/command-channels";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { agentTopic } from "../../src/modules/control/bus.ts";
import { requestControl } from "../../src/modules/control/request.ts";
import { dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createSession } from "../support/dashboard-factories.ts";
import { createAgent, createApiKey } from "../support/factories.ts";
import { createTestServices, type TestClock, type TestServices } from "../support/services.ts";
import {
  addPrinter,
  channelOpen,
  control,
  controlFarm,
  fakeAgentLoop,
  getCommand,
  poll,
  sendResult,
} from "./helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const clock = () => services.clock as TestClock;
const commandRows = (printerId: string) =>
  services.db.select().from(commands).where(eq(commands.printerId, printerId));

/** A command recorded while the agent's channel is open, without waiting for its result. */
async function pendingCommand(farm: Awaited<ReturnType<typeof controlFarm>>, action = "pause") {
  // A poll that answered keeps the channel open briefly (the test clock stands still meanwhile).
  expect((await poll(app, farm.agent.token, 1)).body.data).toEqual([]);
  await channelOpen(services, farm.agent.id);
  return requestControl(
    services,
    {
      organizationId: farm.organization.id,
      printerId: farm.printer.id,
      action: action as "pause",
      requester: { type: "api_key", id: farm.keyRow.id },
      origin: {
        organizationId: farm.organization.id,
        kind: "api_key",
        id: farm.keyRow.id,
        address: null,
        userAgent: null,
      },
    },
    { waitMs: 0 },
  );
}

describe("POST /public/v1/printers/{id}/control", () => {
  it("pauses a printing printer: the agent's channel gets it, and the answer is 200 acknowledged", async () => {
    const farm = await controlFarm(services);
    const agent = fakeAgentLoop(app, farm.agent.token);
    await channelOpen(services, farm.agent.id);
    const res = await control(app, farm.key, farm.printer.id, "pause");
    await agent.stop();
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      printer_id: farm.printer.id,
      action: "pause",
      status: "acknowledged",
      command_id: expect.any(String),
    });
    expect(agent.received).toEqual([
      {
        id: res.body.data!.command_id,
        machine_id: farm.printer.machineId,
        action: "pause",
        requested_at: clock().now().toISOString(),
      },
    ]);
    expect(res.headers.get("x-ratelimit-remaining")).not.toBeNull();
    const command = await getCommand(app, farm.key, res.body.data!.command_id);
    expect(command.body.data).toMatchObject({ status: "acknowledged", error: null });
    expect(command.body.data!.dispatched_at).not.toBeNull();
  });

  it("answers 503 HUB_COMMAND_FAILED naming OctoPrint's refusal", async () => {
    const farm = await controlFarm(services, { status: "paused" });
    const agent = fakeAgentLoop(app, farm.agent.token, () => ({
      ok: false,
      octoprint_status: 409,
      error: "resume: OctoPrint answered HTTP 409 (Printer is not operational)",
    }));
    await channelOpen(services, farm.agent.id);
    const res = await control(app, farm.key, farm.printer.id, "resume");
    await agent.stop();
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("HUB_COMMAND_FAILED");
    expect(res.body.error).toContain("HTTP 409");
    const [row] = await commandRows(farm.printer.id);
    expect(row).toMatchObject({ status: "failed", octoprintStatus: 409 });
  });

  it.each([
    ["pause", "idle"],
    ["resume", "printing"],
    ["stop", "idle"],
    ["clear_bed", "printing"],
  ] as const)(
    "refuses %s on a %s printer with 409 INVALID_STATE and sends nothing",
    async (action, status) => {
      const farm = await controlFarm(services, { status });
      const res = await control(app, farm.key, farm.printer.id, action);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("INVALID_STATE");
      expect(res.body.error).toContain(action);
      expect(res.body.error).toContain(status);
      expect(await commandRows(farm.printer.id)).toEqual([]);
    },
  );

  it("refuses an inactive printer and a stale one (offline) with 409", async () => {
    const farm = await controlFarm(services);
    await services.db
      .update(printers)
      .set({ isActive: false })
      .where(eq(printers.id, farm.printer.id));
    expect((await control(app, farm.key, farm.printer.id, "pause")).body.code).toBe(
      "INVALID_STATE",
    );
    const stale = await addPrinter(
      services.db,
      farm.organization.id,
      farm.agent.id,
      new Date(clock().now().getTime() - 10 * 60_000),
    );
    const res = await control(app, farm.key, stale.id, "pause");
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('"offline"');
  });

  it("answers 503 HUB_OFFLINE at once when the agent has no open channel", async () => {
    const farm = await controlFarm(services);
    const res = await control(app, farm.key, farm.printer.id, "pause");
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("HUB_OFFLINE");
    expect(await commandRows(farm.printer.id)).toEqual([]);
  });

  it("closes the channel at once when the agent hangs up mid-poll", async () => {
    const farm = await controlFarm(services);
    const controller = new AbortController();
    const open = poll(app, farm.agent.token, 25, controller.signal).catch(() => null);
    await channelOpen(services, farm.agent.id);
    controller.abort();
    await open;
    await vi.waitFor(
      async () =>
        expect(await hasOpenCommandChannel(services.db, farm.agent.id, clock().now())).toBe(false),
      { timeout: 5000, interval: 20 },
    );
    expect((await control(app, farm.key, farm.printer.id, "pause")).body.code).toBe("HUB_OFFLINE");
  });

  it("needs printers:control or control: 403 names the scope; the broad scope works", async () => {
    const farm = await controlFarm(services, { scopes: ["printers:read"] });
    const res = await control(app, farm.key, farm.printer.id, "pause");
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("INSUFFICIENT_SCOPE");
    expect(res.body.error).toContain("printers:control");
    const broad = await createApiKey(services.db, farm.organization.id, { scopes: ["control"] });
    expect((await control(app, broad.key, farm.printer.id, "pause")).body.code).toBe("HUB_OFFLINE");
  });

  it("answers 404 for another organization's printer and a malformed id, 400 for an unknown action", async () => {
    const farm = await controlFarm(services);
    const other = await controlFarm(services);
    expect((await control(app, farm.key, other.printer.id, "pause")).status).toBe(404);
    expect((await control(app, farm.key, "not-an-id", "pause")).status).toBe(404);
    const bad = await control(app, farm.key, farm.printer.id, "explode");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("action");
  });

  it("records clear_bed on an idle printer without the agent: 200 and bed_cleared_at", async () => {
    const farm = await controlFarm(services, { status: "idle" });
    const res = await control(app, farm.key, farm.printer.id, "clear_bed");
    expect(res.status).toBe(200);
    expect(res.body.data!.status).toBe("acknowledged");
    const [row] = await services.db.select().from(printers).where(eq(printers.id, farm.printer.id));
    expect(row!.bedClearedAt?.toISOString()).toBe(clock().now().toISOString());
  });

  it("writes an audit event naming the key, the printer, the action and the result", async () => {
    const farm = await controlFarm(services);
    const agent = fakeAgentLoop(app, farm.agent.token);
    await channelOpen(services, farm.agent.id);
    const res = await control(app, farm.key, farm.printer.id, "stop");
    await agent.stop();
    const events = await services.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.organizationId, farm.organization.id));
    const byAction = (a: string) => events.filter((e) => e.action === a);
    expect(byAction("printer.control")).toEqual([
      expect.objectContaining({
        actorType: "api_key",
        actorId: farm.keyRow.id,
        targetId: farm.printer.id,
        details: { command_id: res.body.data!.command_id, action: "stop", status: "pending" },
      }),
    ]);
    expect(byAction("printer.control_result")).toEqual([
      expect.objectContaining({
        actorType: "agent",
        actorId: farm.agent.id,
        details: expect.objectContaining({ status: "acknowledged", octoprint_status: 204 }),
      }),
    ]);
  });
});

describe("Idempotency-Key", () => {
  it("answers a repeat with the first answer and sends nothing; another body is 422", async () => {
    const farm = await controlFarm(services);
    const agent = fakeAgentLoop(app, farm.agent.token);
    await channelOpen(services, farm.agent.id);
    const headers = { "Idempotency-Key": "pause-once-1" };
    const first = await control(app, farm.key, farm.printer.id, "pause", headers);
    const again = await control(app, farm.key, farm.printer.id, "pause", headers);
    await agent.stop();
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(agent.received).toHaveLength(1);
    expect(await commandRows(farm.printer.id)).toHaveLength(1);
    const other = await control(app, farm.key, farm.printer.id, "stop", headers);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("keeps a key's answer to its organization: a removed member replaying it through another organization gets nothing of the first", async () => {
    const farmA = await controlFarm(services);
    const farmB = await controlFarm(services);
    // One person, owner of A and admin of B, signed in to the dashboard.
    const session = await createSession(services, farmA.owner.id);
    await services.db
      .insert(memberships)
      .values({ organizationId: farmB.organization.id, userId: farmA.owner.id, role: "admin" });
    const headers = { "Idempotency-Key": "replayed-key" };
    const dashboardControl = (orgId: string) =>
      call(app, "POST", `/api/orgs/${orgId}/printers/${farmA.printer.id}/control`, {
        token: session,
        body: { action: "pause" },
        headers,
      });
    const agent = fakeAgentLoop(app, farmA.agent.token);
    await channelOpen(services, farmA.agent.id);
    const first = await dashboardControl(farmA.organization.id);
    await agent.stop();
    expect(first.status).toBe(200);

    // Now only a member of B, they replay the key with A's printer through B's route.
    await services.db
      .delete(memberships)
      .where(
        and(
          eq(memberships.organizationId, farmA.organization.id),
          eq(memberships.userId, farmA.owner.id),
        ),
      );
    const replay = await dashboardControl(farmB.organization.id);
    expect(replay.status).toBe(404);
    expect(failure(replay).code).toBe("NOT_FOUND");
    expect(replay.text).not.toContain(dataOf(first, "dashboardControlPrinter").command_id);
  });

  it("repeats a 4xx answer but not a 503, and refuses a malformed key with 400", async () => {
    const farm = await controlFarm(services, { status: "idle" });
    const headers = { "Idempotency-Key": "idle-pause" };
    expect((await control(app, farm.key, farm.printer.id, "pause", headers)).status).toBe(409);
    await services.db
      .update(printers)
      .set({ status: "printing" })
      .where(eq(printers.id, farm.printer.id));
    expect((await control(app, farm.key, farm.printer.id, "pause", headers)).status).toBe(409);
    const offline = { "Idempotency-Key": "offline-pause" };
    expect((await control(app, farm.key, farm.printer.id, "pause", offline)).status).toBe(503);
    const agent = fakeAgentLoop(app, farm.agent.token);
    await channelOpen(services, farm.agent.id);
    expect((await control(app, farm.key, farm.printer.id, "pause", offline)).status).toBe(200);
    await agent.stop();
    const bad = await control(app, farm.key, farm.printer.id, "pause", { "Idempotency-Key": "é" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("idempotency-key");
  });
});

describe("the agent's command channel", () => {
  it("expires a command not delivered within 30 s: never handed out, shown expired", async () => {
    const farm = await controlFarm(services);
    const answer = await pendingCommand(farm);
    expect(answer.carriedOut).toBe(false);
    clock().advance(30_001);
    const res = await poll(app, farm.agent.token, 1);
    expect(res.body.data).toEqual([]);
    const command = await getCommand(app, farm.key, answer.data.command_id);
    expect(command.body.data).toMatchObject({ status: "expired", dispatched_at: null });
    expect(command.body.data!.error).toContain("never sent");
  });

  it("shows an undelivered command expired on read, even with no agent polling", async () => {
    const farm = await controlFarm(services);
    const answer = await pendingCommand(farm);
    clock().advance(31_000);
    expect((await getCommand(app, farm.key, answer.data.command_id)).body.data!.status).toBe(
      "expired",
    );
  });

  it("hands a command out at most once: two concurrent polls, then a restarted agent", async () => {
    const farm = await controlFarm(services);
    const answer = await pendingCommand(farm);
    const [a, b] = await Promise.all([
      poll(app, farm.agent.token, 1),
      poll(app, farm.agent.token, 1),
    ]);
    const delivered = [...a.body.data!, ...b.body.data!];
    expect(delivered.map((c: { id: string }) => c.id)).toEqual([answer.data.command_id]);
    // The agent restarts between receiving and executing: nothing comes again.
    expect((await poll(app, farm.agent.token, 1)).body.data).toEqual([]);
    const [row] = await commandRows(farm.printer.id);
    expect(row!.status).toBe("dispatched");
  });

  it("keeps the first result; a repeat answers the command as it stands", async () => {
    const farm = await controlFarm(services);
    const answer = await pendingCommand(farm);
    await poll(app, farm.agent.token, 1);
    const id = answer.data.command_id;
    const first = await sendResult(app, farm.agent.token, id, { ok: true, octoprint_status: 204 });
    const second = await sendResult(app, farm.agent.token, id, { ok: false, error: "late" });
    expect(first.body.data).toEqual({ id, status: "acknowledged" });
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual({ id, status: "acknowledged" });
  });

  it("answers 404 to a result for another agent's command", async () => {
    const farm = await controlFarm(services);
    const answer = await pendingCommand(farm);
    await poll(app, farm.agent.token, 1);
    const stranger = await createAgent(services.db, farm.organization.id, "other agent");
    const res = await sendResult(app, stranger.token, answer.data.command_id, { ok: true });
    expect(res.status).toBe(404);
    expect((await commandRows(farm.printer.id))[0]!.status).toBe("dispatched");
  });

  it("validates wait (1-30 s) and the result body", async () => {
    const farm = await controlFarm(services);
    expect((await poll(app, farm.agent.token, 0)).status).toBe(400);
    expect((await poll(app, farm.agent.token, 31)).body.error).toContain("wait");
    const res = await app.request(`/agent/v1/commands/${farm.printer.id}/result`, {
      method: "POST",
      headers: { authorization: `Bearer ${farm.agent.token}`, "content-type": "application/json" },
      body: JSON.stringify({ ok: "yes" }),
    });
    expect(res.status).toBe(400);
  });

  it("closes an open channel with 401 TOKEN_REVOKED when the agent's token is revoked", async () => {
    const farm = await controlFarm(services);
    const open = poll(app, farm.agent.token, 25);
    await channelOpen(services, farm.agent.id);
    await revokeAgent(services.db, farm.organization.id, farm.agent.id, clock().now());
    await services.commandBus.publish(agentTopic(farm.agent.id));
    const res = await open;
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("TOKEN_REVOKED");
    expect(await hasOpenCommandChannel(services.db, farm.agent.id, clock().now())).toBe(false);
    expect((await control(app, farm.key, farm.printer.id, "pause")).body.code).toBe("HUB_OFFLINE");
  });

  it("holds at most 3 open polls per agent: a 4th is 429 RATE_LIMITED with Retry-After, and one that ends frees its place", async () => {
    const farm = await controlFarm(services);
    const controllers = [0, 1, 2].map(() => new AbortController());
    const open = controllers.map((controller) =>
      poll(app, farm.agent.token, 25, controller.signal).catch(() => null),
    );
    const openChannels = async () =>
      (
        await services.db
          .select()
          .from(commandChannels)
          .where(eq(commandChannels.agentId, farm.agent.id))
      ).length;
    await expect.poll(openChannels).toBe(3);
    try {
      const fourth = await poll(app, farm.agent.token, 1);
      expect(fourth.status).toBe(429);
      expect(fourth.body.code).toBe("RATE_LIMITED");
      expect(fourth.body.error).toContain("3 open command polls");
      expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another agent of the farm is not affected.
      const neighbour = await createAgent(services.db, farm.organization.id, "neighbour");
      expect((await poll(app, neighbour.token, 1)).status).toBe(200);

      controllers[0]!.abort();
      await open[0];
      await expect.poll(openChannels).toBe(2);
      expect((await poll(app, farm.agent.token, 1)).status).toBe(200);
    } finally {
      for (const controller of controllers) controller.abort();
      await Promise.all(open);
    }
  });

  it("only hands an agent commands of its own printers", async () => {
    const farm = await controlFarm(services);
    const answer = await pendingCommand(farm);
    const other = await createAgent(services.db, farm.organization.id, "neighbour");
    expect((await poll(app, other.token, 1)).body.data).toEqual([]);
    const mine = await poll(app, farm.agent.token, 1);
    expect(mine.body.data!.map((c: { id: string }) => c.id)).toEqual([answer.data.command_id]);
    const rows = await services.db
      .select()
      .from(commands)
      .where(and(eq(commands.agentId, other.id)));
    expect(rows).toEqual([]);
  });
});

describe("GET /public/v1/commands/{id}", () => {
  it("is 404 for another organization's command and needs a read or control scope", async () => {
    const farm = await controlFarm(services, { status: "idle" });
    const cleared = await control(app, farm.key, farm.printer.id, "clear_bed");
    const id = cleared.body.data!.command_id;
    const other = await controlFarm(services);
    expect((await getCommand(app, other.key, id)).status).toBe(404);
    const jobsOnly = await createApiKey(services.db, farm.organization.id, {
      scopes: ["jobs:read"],
    });
    expect((await getCommand(app, jobsOnly.key, id)).status).toBe(403);
    const controlOnly = await createApiKey(services.db, farm.organization.id, {
      scopes: ["control"],
    });
    expect((await getCommand(app, controlOnly.key, id)).body.data).toMatchObject({
      id,
      printer_id: farm.printer.id,
      action: "clear_bed",
      status: "acknowledged",
    });
  });
});

describe("the control routes' credentials", () => {
  it("answer 401 without a key, with a malformed one and with a revoked one", async () => {
    const farm = await controlFarm(services);
    const paths = [
      `/public/v1/printers/${farm.printer.id}/control`,
      `/public/v1/commands/${farm.printer.id}`,
    ];
    for (const path of paths) {
      const method = path.endsWith("/control") ? "POST" : "GET";
      const init = (key?: string) => ({
        method,
        headers: {
          "content-type": "application/json",
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        ...(method === "POST" ? { body: JSON.stringify({ action: "pause" }) } : {}),
      });
      expect((await app.request(path, init())).status).toBe(401);
      expect((await app.request(path, init("apf_live_nope"))).status).toBe(401);
    }
    await services.db
      .update(apiKeys)
      .set({ revokedAt: clock().now() })
      .where(eq(apiKeys.id, farm.keyRow.id));
    const revoked = await control(app, farm.key, farm.printer.id, "pause");
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe("TOKEN_REVOKED");
  });
});
