import { takeSweepTurn } from "@apf/db/queries/sweep-turns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;

beforeAll(async () => {
  services = await createTestServices({ events: { sweepMs: 3_600_000 } });
});
afterAll(() => services.close());

describe("a periodic sweep's turn", () => {
  it("is given to one asker per period, per sweep, and again once the period is over", async () => {
    const asks = await Promise.all(
      Array.from({ length: 5 }, () => takeSweepTurn(services.db, "test-hour", 3_600_000)),
    );
    expect(asks.filter(Boolean)).toHaveLength(1);
    expect(await takeSweepTurn(services.db, "test-hour", 3_600_000)).toBe(false);
    expect(await takeSweepTurn(services.db, "test-other", 3_600_000)).toBe(true);

    expect(await takeSweepTurn(services.db, "test-short", 50)).toBe(true);
    expect(await takeSweepTurn(services.db, "test-short", 50)).toBe(false);
    await expect.poll(() => takeSweepTurn(services.db, "test-short", 50)).toBe(true);
  });
});
