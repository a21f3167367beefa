import type { TestDatabase } from "@apf/db/testing";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createSession } from "../support/dashboard-factories.ts";
import { createApiKey, createOrganization } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { call, failure, type TestApp, twoInstances } from "./helpers.ts";

// Two API instances: one Postgres database, one Redis namespace, separate processes' worth of
// in-memory state (each app and its services are built independently).
let shared: TestDatabase;
let one: TestServices;
let appOne: TestApp;
let appTwo: TestApp;
let close: () => Promise<void>;
let organizationId: string;
let ownerId: string;

beforeAll(async () => {
  ({ shared, one, appOne, appTwo, close } = await twoInstances());
  const { organization, owner } = await createOrganization(shared.db);
  organizationId = organization.id;
  ownerId = owner.id;
});
afterAll(() => close());

const PATHS = ["/public/v1/me", "/public/v1/printers", "/public/v1/jobs"];

function revoke(app: TestApp, session: string, keyId: string) {
  return app.request(`/api/orgs/${organizationId}/api-keys/${keyId}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${session}` },
  });
}

it("serves 0 requests with a revoked key once the revoke returned: 100 trials, two instances, under load", async () => {
  const session = await createSession(one, ownerId);
  let servedAfterRevoke = 0;
  let checkedAfterRevoke = 0;
  for (let trial = 0; trial < 100; trial++) {
    const key = await createApiKey(shared.db, organizationId, { rateLimitPerMinute: 10_000 });
    // Both instances have verified (and cached) the key before it is revoked.
    for (const app of [appOne, appTwo]) {
      expect((await call(app, PATHS[trial % PATHS.length]!, { key: key.key })).status).toBe(200);
    }
    let revoked = false;
    let stop = false;
    let checkedThisTrial = 0;
    // Four clients keep calling both instances while the revoke runs on one of them.
    const clients = [0, 1, 2, 3].map(async (client) => {
      const app = client % 2 === 0 ? appOne : appTwo;
      for (let n = 0; !stop; n++) {
        const sentAfterRevoke = revoked;
        const res = await call(app, PATHS[(client + n) % PATHS.length]!, { key: key.key });
        if (!sentAfterRevoke) continue;
        checkedAfterRevoke++;
        checkedThisTrial++;
        if (res.status === 200) servedAfterRevoke++;
        else expect((await failure(res)).code).toBe("TOKEN_REVOKED");
      }
    });
    const answer = await revoke(trial % 2 === 0 ? appOne : appTwo, session, key.id);
    expect(answer.status).toBe(200);
    revoked = true;
    await vi.waitFor(() => expect(checkedThisTrial).toBeGreaterThanOrEqual(8), {
      timeout: 10_000,
    });
    stop = true;
    await Promise.all(clients);
  }
  expect(checkedAfterRevoke).toBeGreaterThanOrEqual(800);
  expect(servedAfterRevoke).toBe(0);
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
  expect((await failure(res)).code).toBe("TOKEN_REVOKED");
});
