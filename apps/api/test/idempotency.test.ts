import { idempotencyRecords } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../src/domain-error.ts";
import { idempotent } from "../src/platform/idempotency.ts";
import { createOrganization } from "./support/factories.ts";
import { createTestServices, type TestServices } from "./support/services.ts";

let services: TestServices;
beforeAll(async () => {
  services = await createTestServices();
});
afterAll(() => services.close());

describe("idempotent", () => {
  it("keeps a key's answer to its organization and its operation", async () => {
    const a = (await createOrganization(services.db)).organization.id;
    const b = (await createOrganization(services.db)).organization.id;
    const once = (organizationId: string, operation: string, data: string) =>
      idempotent(
        services,
        { organizationId, principal: "user:same", operation, key: "same-key", request: ["x"] },
        async () => ({ httpStatus: 200, data }),
      );
    expect((await once(a, "controlPrinter", "first")).data).toBe("first");
    expect((await once(a, "controlPrinter", "again")).data).toBe("first");
    expect((await once(b, "controlPrinter", "other org")).data).toBe("other org");
    expect((await once(a, "addToQueue", "other operation")).data).toBe("other operation");
  });

  it("refuses, without running again, a key answered by an earlier version (an HTTP envelope)", async () => {
    const org = (await createOrganization(services.db)).organization.id;
    const scope = {
      organizationId: org,
      principal: "user:u",
      operation: "op",
      key: "k",
      request: [1],
    };
    let runs = 0;
    await idempotent(services, scope, async () => {
      runs++;
      return { data: "first" };
    });
    await services.db
      .update(idempotencyRecords)
      .set({ responseBody: { success: true, data: { status: "acknowledged" } } })
      .where(eq(idempotencyRecords.organizationId, org));
    const again = idempotent(services, scope, async () => {
      runs++;
      return { data: "second" };
    });
    await expect(again).rejects.toBeInstanceOf(DomainError);
    await expect(again).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect(runs).toBe(1);
  });
});
