import { auditEvents, createDatabase, webhookDeliveries, webhookEndpoints } from "@apf/db";
import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgActor } from "../../src/modules/audit/audit.ts";
import { createEndpoint, rollEndpointSecret } from "../../src/modules/webhooks/endpoints.ts";
import { DELIVERY_TASK } from "../../src/modules/webhooks/queue.ts";
import { emit } from "../events/helpers.ts";
import { createOrganization } from "../support/factories.ts";
import { freePort } from "../support/private-redis.ts";
import { ServerProcess } from "../support/server-process.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { startReceiver } from "./receiver.ts";

let services: TestServices;
let strict: TestServices;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** A member acting in `organizationId`. */
const member = (organizationId: string): OrgActor => ({
  organizationId,
  kind: "user",
  id: null,
  address: null,
  userAgent: null,
});

beforeAll(async () => {
  services = await createTestServices({
    env: { APF_WEBHOOKS_ALLOW_PRIVATE: "1", APF_WEBHOOK_RETRY_SCHEDULE_S: "0.2,0.2,0.2" },
    webhooks: { worker: true, pollIntervalMs: 100 },
  });
  // A deployment of its own (its workers must not take the other one's tasks).
  strict = await createTestServices({ webhooks: { worker: true, pollIntervalMs: 100 } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await strict.close();
  await services.close();
  await receiver.close();
});

async function farmWithEndpoint(eventTypes: string[] = []) {
  const { organization } = await createOrganization(services.db);
  const actor = member(organization.id);
  const created = await createEndpoint(services, actor, {
    url: receiver.url,
    eventTypes: eventTypes as never,
    description: null,
    enabled: true,
  });
  return { org: organization.id, actor, ...created };
}

async function deliveriesOf(endpointId: string, on: TestServices = services) {
  return on.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}

describe("webhook deliveries", () => {
  it("are signed per Standard Webhooks: the standardwebhooks package verifies each", async () => {
    const before = receiver.received.length;
    const farm = await farmWithEndpoint();
    expect(farm.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await emit(services, farm.org, {
      type: "job.completed",
      data: { id: "j1", status: "completed" },
    });
    const [got] = (await receiver.waitFor(before + 1)).slice(before);
    const payload = new Webhook(farm.secret).verify(got!.body, got!.headers) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({
      type: "job.completed",
      sequence: 1,
      data: { id: "j1", status: "completed" },
    });
    expect(got!.headers["webhook-id"]).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(
        got!.body,
        got!.headers,
      ),
    ).toThrow();
  });

  it("retries a 500 on the schedule: 500, 500, 200 is delivered on the third attempt, one webhook-id", async () => {
    const farm = await farmWithEndpoint();
    const before = receiver.received.length;
    receiver.answer(500, 500);
    await emit(services, farm.org, { type: "job.failed" });
    const three = (await receiver.waitFor(before + 3)).slice(before);
    expect(new Set(three.map((r) => r.headers["webhook-id"])).size).toBe(1);
    await expect
      .poll(async () => (await deliveriesOf(farm.endpoint.id))[0]?.status, { timeout: 3000 })
      .toBe("delivered");
    const [delivery] = await deliveriesOf(farm.endpoint.id);
    expect(delivery).toMatchObject({ attempts: 3, lastStatus: 200, lastResponse: "ok" });
  });

  it("disables the endpoint at once on 410 Gone, in the audit log, and sends it nothing more", async () => {
    const farm = await farmWithEndpoint();
    const before = receiver.received.length;
    receiver.answer(410);
    await emit(services, farm.org, { type: "job.queued" });
    await receiver.waitFor(before + 1);
    await expect
      .poll(async () => {
        const [row] = await services.db
          .select()
          .from(webhookEndpoints)
          .where(eq(webhookEndpoints.id, farm.endpoint.id));
        return row?.enabled;
      })
      .toBe(false);
    const [delivery] = await deliveriesOf(farm.endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatus: 410 });
    expect(delivery!.lastResponse!.length).toBeLessThanOrEqual(1024);
    const audit = await services.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, farm.org),
          eq(auditEvents.action, "webhook_endpoint.disabled"),
        ),
      );
    expect(audit).toHaveLength(1);
    await emit(services, farm.org, { type: "job.started" });
    expect(await deliveriesOf(farm.endpoint.id)).toHaveLength(1);
  });

  it("sends printer.updated only to an endpoint that names it, and an endpoint only its types", async () => {
    const all = await farmWithEndpoint();
    await emit(services, all.org, { type: "printer.updated" }, { type: "job.completed" });
    const named = await farmWithEndpoint(["printer.updated"]);
    await emit(services, named.org, { type: "printer.updated" }, { type: "job.completed" });
    expect((await deliveriesOf(all.endpoint.id)).map((d) => d.eventType)).toEqual([
      "job.completed",
    ]);
    expect((await deliveriesOf(named.endpoint.id)).map((d) => d.eventType)).toEqual([
      "printer.updated",
    ]);
  });

  it("signs with both secrets for 24 hours after a roll: either verifies", async () => {
    const farm = await farmWithEndpoint();
    const rolled = await rollEndpointSecret(services, farm.actor, farm.endpoint.id);
    const before = receiver.received.length;
    await emit(services, farm.org, { type: "job.cancelled" });
    const [got] = (await receiver.waitFor(before + 1)).slice(before);
    expect(got!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(farm.secret).verify(got!.body, got!.headers)).toBeTruthy();
    expect(new Webhook(rolled.secret).verify(got!.body, got!.headers)).toBeTruthy();
  });
});

describe("receivers that hang", () => {
  it("hold up no other endpoint's deliveries: eight unanswered requests leave slots for the next", async () => {
    const { organization } = await createOrganization(services.db);
    for (let i = 0; i < 8; i++) {
      await createEndpoint(services, member(organization.id), {
        url: `${receiver.url}/slow/${i}`,
        eventTypes: [],
        description: null,
        enabled: true,
      });
    }
    const before = receiver.received.length;
    receiver.hold(8);
    await emit(services, organization.id, { type: "job.completed" });
    await receiver.waitFor(before + 8);
    try {
      // While all eight wait for their answer (up to the 15 s attempt timeout), another
      // organization's delivery is sent.
      const farm = await farmWithEndpoint();
      await emit(services, farm.org, { type: "job.started" });
      const [got] = (await receiver.waitFor(before + 9)).slice(before + 8);
      expect(new Webhook(farm.secret).verify(got!.body, got!.headers)).toMatchObject({
        type: "job.started",
      });
    } finally {
      receiver.release();
    }
  });
});

describe("an endpoint failing for 5 days", () => {
  it("is disabled at its next failed attempt, in the audit log", async () => {
    const farm = await farmWithEndpoint();
    await services.db
      .update(webhookEndpoints)
      .set({ failingSince: sql`now() - interval '5 days 1 minute'` })
      .where(eq(webhookEndpoints.id, farm.endpoint.id));
    const before = receiver.received.length;
    receiver.answer(503);
    await emit(services, farm.org, { type: "job.failed" });
    await receiver.waitFor(before + 1);
    await expect
      .poll(async () => {
        const [row] = await services.db
          .select()
          .from(webhookEndpoints)
          .where(eq(webhookEndpoints.id, farm.endpoint.id));
        return [row?.enabled, row?.disabledReason];
      })
      .toEqual([false, "every delivery failed for 5 days"]);
    expect((await deliveriesOf(farm.endpoint.id))[0]).toMatchObject({ status: "failed" });
  });
});

describe("on the embedded database", () => {
  // (creating and migrating an embedded database takes a while on a busy machine)
  it("delivers with the same attempt code, from the in-process queue", {
    timeout: 90_000,
  }, async () => {
    const handle = await createDatabase({ dataDir: "memory://" });
    const embedded = await createTestServices({
      database: { ...handle, url: null },
      env: { APF_WEBHOOKS_ALLOW_PRIVATE: "1" },
      webhooks: { worker: true, pollIntervalMs: 100 },
    });
    try {
      expect(embedded.webhooks.queue.kind).toBe("in-process");
      const { organization } = await createOrganization(embedded.db);
      const made = await createEndpoint(embedded, member(organization.id), {
        url: receiver.url,
        eventTypes: [],
        description: null,
        enabled: true,
      });
      const before = receiver.received.length;
      await emit(embedded, organization.id, { type: "job.completed" });
      const [got] = (await receiver.waitFor(before + 1)).slice(before);
      expect(new Webhook(made.secret).verify(got!.body, got!.headers)).toMatchObject({
        type: "job.completed",
      });
    } finally {
      await embedded.close();
      await handle.close();
    }
  });
});

describe("a delivery whose worker died", () => {
  it("is delivered by a live instance's stalled-delivery sweep, not 4 hours later by graphile-worker", {
    timeout: 120_000,
  }, async () => {
    const env = { APF_WEBHOOKS_ALLOW_PRIVATE: "1" };
    // A deployment of its own: instance A only adds tasks.
    const a = await createTestServices({ env, webhooks: { worker: false } });
    const { organization } = await createOrganization(a.db);
    const made = await createEndpoint(a, member(organization.id), {
      url: receiver.url,
      eventTypes: [],
      description: null,
      enabled: true,
    });
    // Instance B, a real server process, takes the task and is killed in the middle of the POST.
    const b = new ServerProcess(await freePort(), {
      DATABASE_URL: a.database.url!,
      APF_DEMO: "off",
      LOG_LEVEL: "warn",
      ...env,
    });
    try {
      await b.waitForHttp("/readyz", 60_000);
      receiver.hold(1);
      const before = receiver.received.length;
      await emit(a, organization.id, { type: "job.completed" });
      const [first] = (await receiver.waitFor(before + 1, 30_000)).slice(before);
      await b.stop("SIGKILL");
      const locked = await a.db.execute(
        sql`select locked_by from graphile_worker.jobs where task_identifier = ${DELIVERY_TASK}`,
      );
      // graphile-worker would give the dead worker's task back only once locked for 4 hours.
      expect((locked as unknown as { rows: { locked_by: string | null }[] }).rows).toEqual([
        { locked_by: expect.any(String) },
      ]);

      // Instance C, alive: its sweep finds the delivery overdue and gives it a new task.
      const c = await createTestServices({
        env,
        database: a.database,
        webhooks: { worker: true, pollIntervalMs: 100, stalledAfterS: 1, stalledSweepMs: 200 },
      });
      try {
        const [again] = (await receiver.waitFor(before + 2, 20_000)).slice(before + 1);
        expect(again!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
        expect(new Webhook(made.secret).verify(again!.body, again!.headers)).toMatchObject({
          type: "job.completed",
        });
        await expect
          .poll(async () => (await deliveriesOf(made.endpoint.id, a))[0], { timeout: 5000 })
          .toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
      } finally {
        await c.close();
      }
    } finally {
      await b.stop("SIGKILL");
      await a.close();
    }
  });

  it("is not given a second task while its own waits in the queue, only once that is spent", async () => {
    const a = await createTestServices({
      env: { APF_WEBHOOKS_ALLOW_PRIVATE: "1" },
      webhooks: { worker: false },
    });
    try {
      const { organization } = await createOrganization(a.db);
      const made = await createEndpoint(a, member(organization.id), {
        url: receiver.url,
        eventTypes: [],
        description: null,
        enabled: true,
      });
      await emit(a, organization.id, { type: "job.completed" });
      // Overdue by 2 minutes: a backlog, not a death (its task is there, unlocked).
      await a.db
        .update(webhookDeliveries)
        .set({ nextAttemptAt: sql`now() - interval '2 minutes'` })
        .where(eq(webhookDeliveries.endpointId, made.endpoint.id));
      expect(await a.webhooks.requeueStalled()).toBe(0);
      await a.db.execute(
        sql`update graphile_worker._private_jobs set attempts = max_attempts where key is not null`,
      );
      expect(await a.webhooks.requeueStalled()).toBe(1);
      expect(await a.webhooks.requeueStalled()).toBe(0);
    } finally {
      await a.close();
    }
  });
});

describe("webhook destinations without APF_WEBHOOKS_ALLOW_PRIVATE", () => {
  it("refuses http:// and loopback addresses at creation, naming the rule", async () => {
    const { organization } = await createOrganization(strict.db);
    const actor = member(organization.id);
    const input = { eventTypes: [], description: null, enabled: true };
    await expect(
      createEndpoint(strict, actor, { ...input, url: receiver.url }),
    ).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringContaining("https://"),
    });
    await expect(
      createEndpoint(strict, actor, { ...input, url: "https://127.0.0.1/hooks" }),
    ).rejects.toMatchObject({ message: expect.stringContaining("loopback, private") });
    await expect(
      createEndpoint(strict, actor, { ...input, url: "https://169.254.169.254/latest" }),
    ).rejects.toMatchObject({ code: "INVALID_REQUEST" });
  });

  it("refuses again at delivery time (an endpoint that points at 127.0.0.1 gets nothing)", async () => {
    const { organization } = await createOrganization(strict.db);
    const [endpoint] = await strict.db
      .insert(webhookEndpoints)
      .values({ organizationId: organization.id, url: receiver.url, secret: "whsec_AAAA" })
      .returning();
    const before = receiver.received.length;
    await emit(strict, organization.id, { type: "job.completed" });
    await expect
      .poll(async () => (await deliveriesOf(endpoint!.id, strict))[0]?.lastError ?? null, {
        timeout: 5000,
      })
      .toMatch(/^refused: must use https:\/\//);
    expect(receiver.received.length).toBe(before);
  });
});
