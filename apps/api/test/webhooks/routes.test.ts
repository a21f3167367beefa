import { mintToken } from "@apf/auth";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { answer, call, dataOf, failure, publicTestServices, tenant } from "../public/helpers.ts";
import { WEBHOOK_ROUTES } from "../public/routes.ts";
import { createApiKey } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { startReceiver } from "./receiver.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  services = await publicTestServices({
    env: { APF_WEBHOOKS_ALLOW_PRIVATE: "1", APF_WEBHOOK_RETRY_SCHEDULE_S: "0.2" },
    webhooks: { worker: true, pollIntervalMs: 100 },
  });
  app = createApp(services);
  receiver = await startReceiver();
});
afterAll(async () => {
  await services.close();
  await receiver.close();
});

const BASE = "/public/v1/webhook-endpoints";

async function created(key: string, extra: Record<string, unknown> = {}) {
  const res = await call(app, BASE, { key, json: { url: receiver.url, ...extra } });
  expect(res.status).toBe(201);
  return dataOf(res, "createWebhookEndpoint");
}

describe("/public/v1/webhook-endpoints", () => {
  it("creates an endpoint, shows its whsec_ secret once, lists, changes and deletes it", async () => {
    const a = await tenant(services.db, "A");
    const made = await created(a.key, { event_types: ["job.completed"], description: "ERP" });
    expect(made).toMatchObject({
      url: receiver.url,
      event_types: ["job.completed"],
      description: "ERP",
      enabled: true,
    });
    expect(made.secret).toMatch(/^whsec_/);
    const one = await answer(
      await call(app, `${BASE}/${made.id}`, { key: a.key }),
      "getWebhookEndpoint",
    );
    expect(one.data).not.toHaveProperty("secret");
    expect(JSON.stringify(one)).not.toContain(made.secret);
    const list = await answer(await call(app, BASE, { key: a.key }), "listWebhookEndpoints");
    expect(list.data.map((e) => e.id)).toEqual([made.id]);
    const changed = await call(app, `${BASE}/${made.id}`, {
      key: a.key,
      method: "PATCH",
      json: { enabled: false, event_types: [] },
    });
    expect(await dataOf(changed, "updateWebhookEndpoint")).toMatchObject({
      enabled: false,
      event_types: [],
      disabled_reason: "disabled by a person",
    });
    const gone = await call(app, `${BASE}/${made.id}`, { key: a.key, method: "DELETE" });
    expect(await dataOf(gone, "deleteWebhookEndpoint")).toEqual({ id: made.id, deleted: true });
    expect((await call(app, `${BASE}/${made.id}`, { key: a.key })).status).toBe(404);
  });

  it("sends a signed ping on test, lists it among the deliveries, and sends it again", async () => {
    const a = await tenant(services.db, "A");
    const made = await created(a.key);
    const before = receiver.received.length;
    const ping = await call(app, `${BASE}/${made.id}/test`, { key: a.key, method: "POST" });
    expect(ping.status).toBe(202);
    const [got] = (await receiver.waitFor(before + 1)).slice(before);
    expect(new Webhook(made.secret).verify(got!.body, got!.headers)).toMatchObject({
      type: "ping",
    });
    await expect
      .poll(
        async () =>
          (
            await dataOf(
              await call(app, `${BASE}/${made.id}/deliveries`, { key: a.key }),
              "listWebhookDeliveries",
            )
          )[0]?.status,
      )
      .toBe("delivered");
    const [delivery] = await dataOf(
      await call(app, `${BASE}/${made.id}/deliveries`, { key: a.key }),
      "listWebhookDeliveries",
    );
    expect(delivery).toMatchObject({
      event_type: "ping",
      attempts: 1,
      http_status: 200,
      response: "ok",
    });
    const again = await call(app, `${BASE}/${made.id}/deliveries/${delivery!.id}/redeliver`, {
      key: a.key,
      method: "POST",
    });
    expect(again.status).toBe(202);
    const [second] = (await receiver.waitFor(before + 2)).slice(before + 1);
    expect(second!.headers["webhook-id"]).toBe(got!.headers["webhook-id"]);
  });

  it("rolls the secret: the new one is shown once and both sign for 24 hours", async () => {
    const a = await tenant(services.db, "A");
    const made = await created(a.key);
    const rolled = await call(app, `${BASE}/${made.id}/roll-secret`, {
      key: a.key,
      method: "POST",
    });
    const data = await dataOf(rolled, "rollWebhookEndpointSecret");
    expect(data.secret).toMatch(/^whsec_/);
    expect(data.secret).not.toBe(made.secret);
    expect(data.previous_secret_expires_at).not.toBeNull();
  });

  it("refuses an invalid URL or an unknown event type, naming the field", async () => {
    const a = await tenant(services.db, "A");
    const bad = await call(app, BASE, { key: a.key, json: { url: "ftp://example.com/x" } });
    expect(bad.status).toBe(400);
    expect((await failure(bad)).details?.[0]?.path).toEqual(["url"]);
    const types = await call(app, BASE, {
      key: a.key,
      json: { url: receiver.url, event_types: ["job.done"] },
    });
    expect(types.status).toBe(400);
  });

  it("is closed by default: no key, an unknown key, a key without the webhooks scope, another tenant", async () => {
    const a = await tenant(services.db, "A");
    const b = await tenant(services.db, "B");
    const made = await created(a.key);
    expect((await call(app, BASE)).status).toBe(401);
    expect((await call(app, BASE, { key: mintToken("live").token })).status).toBe(401);
    const reader = await createApiKey(services.db, a.organization.id, {
      scopes: ["webhooks:read"],
    });
    expect((await call(app, BASE, { key: reader.key })).status).toBe(200);
    const denied = await call(app, BASE, { key: reader.key, json: { url: receiver.url } });
    expect(denied.status).toBe(403);
    expect((await failure(denied)).code).toBe("INSUFFICIENT_SCOPE");
    const jobsOnly = await createApiKey(services.db, a.organization.id, { scopes: ["jobs:read"] });
    expect((await call(app, BASE, { key: jobsOnly.key })).status).toBe(403);
    const broad = await createApiKey(services.db, a.organization.id, { scopes: ["write"] });
    expect((await call(app, BASE, { key: broad.key, json: { url: receiver.url } })).status).toBe(
      201,
    );
    for (const path of [`${BASE}/${made.id}`, `${BASE}/${made.id}/deliveries`]) {
      expect((await call(app, path, { key: b.key })).status).toBe(404);
    }
    for (const [method, path] of [
      ["PATCH", `${BASE}/${made.id}`],
      ["DELETE", `${BASE}/${made.id}`],
      ["POST", `${BASE}/${made.id}/roll-secret`],
      ["POST", `${BASE}/${made.id}/test`],
    ] as const) {
      const res = await call(app, path, {
        key: b.key,
        method,
        ...(method === "PATCH" ? { json: { enabled: false } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(await dataOf(await call(app, BASE, { key: b.key }), "listWebhookEndpoints")).toEqual([]);
    // Every webhook route is covered by the cases above.
    expect(WEBHOOK_ROUTES.length).toBe(9);
  });
});
