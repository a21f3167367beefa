import { webhookDeliveries } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttemptBatches } from "../../src/modules/webhooks/deliver.ts";
import { createEndpoint } from "../../src/modules/webhooks/endpoints.ts";
import { emit } from "../events/helpers.ts";
import { createOrganization } from "../support/factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { startReceiver } from "./receiver.ts";

let services: TestServices;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  // No worker: the test runs the attempts itself, all at once.
  services = await createTestServices({ env: { APF_WEBHOOKS_ALLOW_PRIVATE: "1" } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await services.close();
  await receiver.close();
});

async function pendingDeliveries(count: number) {
  const { organization } = await createOrganization(services.db);
  const { endpoint } = await createEndpoint(
    services,
    { organizationId: organization.id, kind: "user", id: null, address: null, userAgent: null },
    { url: receiver.url, eventTypes: [], description: null, enabled: true },
  );
  await emit(
    services,
    organization.id,
    ...Array.from({ length: count }, (_, i) => ({
      type: "job.completed" as const,
      data: { id: `j${i}` },
    })),
  );
  return services.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpoint.id));
}

describe("webhook attempts running at once", () => {
  it("each deliver once and are each recorded, though they share their statements", async () => {
    const deliveries = await pendingDeliveries(40);
    expect(deliveries).toHaveLength(40);
    const before = receiver.received.length;
    await Promise.all(deliveries.map((d) => services.webhooks.attempt(d.id)));
    const ids = receiver.received.slice(before).map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(40);
    expect(ids).toHaveLength(40);
    const after = await services.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, deliveries[0]!.endpointId));
    for (const d of after) {
      expect(d).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
      expect(d.deliveredAt).not.toBeNull();
      expect(d.nextAttemptAt).toBeNull();
    }
  });

  it("record one attempt of a delivery once: a second at once, or a stale one, records nothing", async () => {
    const [delivery] = await pendingDeliveries(1);
    const batches = createAttemptBatches(services.db);
    const attempt = {
      deliveryId: delivery!.id,
      previousAttempts: 0,
      httpStatus: 204,
      durationMs: 3,
      response: "ok",
    };
    const [first, second] = await Promise.all([
      batches.recordDelivered(attempt),
      batches.recordDelivered({ ...attempt, httpStatus: 200 }),
    ]);
    expect([first, second]).toEqual([true, false]);
    expect(await batches.recordDelivered(attempt)).toBe(false);
    const found = await batches.find(delivery!.id);
    expect(found?.delivery).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 204 });
    expect(found?.endpoint.id).toBe(delivery!.endpointId);
    expect(await batches.find("00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});
