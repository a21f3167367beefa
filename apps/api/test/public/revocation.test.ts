import { randomBytes } from "node:crypto";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createSession } from "../support/dashboard-factories.ts";
import { createApiKey, createOrganization } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { body, call, publicTestServices, type TestApp } from "./helpers.ts";

// Two API instances: one Postgres database, one Redis namespace, separate processes' worth of
// in-memory state (each app and its services are built independently).
let shared: TestDatabase;
let one: TestServices;
let two: TestServices;
let appOne: TestApp;
let appTwo: TestApp;
let organizationId: string;
let ownerId: string;

beforeAll(async () => {
  shared = await createTestDatabase();
  const redisPrefix = `apf-test:${randomBytes(6).toString("hex")}`;
  one = await publicTestServices({ database: shared, redisPrefix });
  two = await publicTestServices({ database: shared, redisPrefix });
  appOne = createApp(one);
  appTwo = createApp(two);
  const { organization, owner } = await createOrganization(shared.db);
  organizationId = organization.id;
  ownerId = owner.id;
});
afterAll(async () => {
  await one.close();
  await two.close();
  await shared.close();
});

const PATHS = ["/public/v1/me", "/public/v1/printers", "/public/v1/jobs"];

it("answers TOKEN_REVOKED on the other instance at once after a revoke, 100 times in a row", async () => {
  for (let i = 0; i < 100; i++) {
    const key = await createApiKey(shared.db, organizationId);
    const path = PATHS[i % PATHS.length]!;
    expect((await call(appOne, path, { key: key.key })).status).toBe(200);
    expect((await call(appTwo, path, { key: key.key })).status).toBe(200);

    await revokeApiKey(one.db, organizationId, key.id, one.clock.now());

    const res = await call(appTwo, path, { key: key.key });
    expect(res.status).toBe(401);
    expect((await body(res)).code).toBe("TOKEN_REVOKED");
    const again = await call(appOne, path, { key: key.key });
    expect((await body(again)).code).toBe("TOKEN_REVOKED");
  }
}, 120_000);

it("answers TOKEN_REVOKED on the other instance after the dashboard's revoke route", async () => {
  const session = await createSession(one, ownerId);
  const key = await createApiKey(shared.db, organizationId);
  expect((await call(appTwo, "/public/v1/me", { key: key.key })).status).toBe(200);
  const revoke = await appOne.request(`/api/orgs/${organizationId}/api-keys/${key.id}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${session}` },
  });
  expect(revoke.status).toBe(200);
  const res = await call(appTwo, "/public/v1/me", { key: key.key });
  expect((await body(res)).code).toBe("TOKEN_REVOKED");
});
