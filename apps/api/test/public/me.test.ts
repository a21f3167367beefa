import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createApiKey, createOrganization } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { answer, body, call, publicTestServices, type TestApp } from "./helpers.ts";

let services: TestServices;
let app: TestApp;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

it("describes the calling key, its organization and its budget", async () => {
  const { organization } = await createOrganization(services.db, "Ridge Farm");
  const expiresAt = new Date(services.clock.now().getTime() + 86_400_000);
  const key = await createApiKey(services.db, organization.id, {
    name: "Grafana exporter ✓",
    scopes: ["printers:read", "jobs:read"],
    expiresAt,
  });
  const res = await call(app, "/public/v1/me", { key: key.key });
  expect(res.status).toBe(200);
  expect(await body(res)).toEqual({
    success: true,
    data: {
      key: {
        id: key.id,
        name: "Grafana exporter ✓",
        prefix: key.preview,
        scopes: ["printers:read", "jobs:read"],
        created_at: key.createdAt.toISOString(),
        expires_at: expiresAt.toISOString(),
        last_used_at: null,
      },
      organization: { id: organization.id, name: "Ridge Farm" },
      rate_limit: { limit: 120, window_seconds: 60 },
    },
  });
});

it("states the key's own budget and counts against it", async () => {
  const { organization } = await createOrganization(services.db);
  const key = await createApiKey(services.db, organization.id, { rateLimitPerMinute: 2 });
  const first = await call(app, "/public/v1/me", { key: key.key });
  expect((await answer(first, "getMe")).data.rate_limit).toEqual({ limit: 2, window_seconds: 60 });
  expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
  expect((await call(app, "/public/v1/me", { key: key.key })).status).toBe(200);
  expect((await call(app, "/public/v1/me", { key: key.key })).status).toBe(429);
});

it("never shows the key itself or its hash", async () => {
  const { organization } = await createOrganization(services.db);
  const key = await createApiKey(services.db, organization.id);
  const text = await (await call(app, "/public/v1/me", { key: key.key })).text();
  expect(text).not.toContain(key.key);
  expect(text).not.toContain(key.keyHash);
});
