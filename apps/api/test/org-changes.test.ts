import { type ChannelHandlers, printers } from "@apf/db";
import { deferOrgChanges, deferredOrgChanges } from "@apf/db/queries/org-changes";
import { printerListVersion } from "@apf/db/queries/printers";
import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/platform/logger.ts";
import { createOrgChanges, ORG_CHANGES_CHANNEL } from "../src/platform/org-changes.ts";
import { createOrganization } from "./support/factories.ts";
import { LogCapture } from "./support/services.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const ORG_A = "0b9c8a2e-6a51-4d7e-9f0e-111111111111";
const ORG_B = "0b9c8a2e-6a51-4d7e-9f0e-222222222222";

/** An OrgChanges over a channel this test drives by hand. */
function driven() {
  let handlers!: ChannelHandlers;
  const changes = createOrgChanges(
    database.db,
    (h) => {
      handlers = h;
      return { close: async () => {} };
    },
    createLogger("debug", new LogCapture()),
  );
  return { changes, handlers };
}

describe("organization change tokens", () => {
  it("has no token until LISTEN is in place, then one that changes only with its organization and tables", () => {
    const { changes, handlers } = driven();
    expect(changes.token(ORG_A, ["printers"])).toBeNull();
    handlers.listening();
    const printersA = changes.token(ORG_A, ["printers"]);
    const jobsA = changes.token(ORG_A, ["jobs", "skus"]);
    expect(printersA).not.toBeNull();
    handlers.message(`printers:${ORG_B}`);
    handlers.message(`jobs:${ORG_A}`);
    expect(changes.token(ORG_A, ["printers"])).toBe(printersA);
    expect(changes.token(ORG_A, ["jobs", "skus"])).not.toBe(jobsA);
    handlers.message(`printers:${ORG_A}`);
    expect(changes.token(ORG_A, ["printers"])).not.toBe(printersA);
  });

  it("gives no token while the connection is lost, and never an earlier one after it is back", () => {
    const { changes, handlers } = driven();
    handlers.listening();
    const before = changes.token(ORG_A, ["printers"]);
    handlers.lost(new Error("connection reset"));
    expect(changes.listening).toBe(false);
    expect(changes.token(ORG_A, ["printers"])).toBeNull();
    handlers.listening();
    const after = changes.token(ORG_A, ["printers"]);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
  });
});

describe("on the database", () => {
  it("hears a committed change to printers, jobs or SKUs, and sync() waits for what was committed", async () => {
    const changes = createOrgChanges(
      database.db,
      (h) => database.listen(ORG_CHANGES_CHANNEL, h),
      createLogger("debug", new LogCapture()),
    );
    try {
      await expect.poll(() => changes.listening).toBe(true);
      const before = changes.token(ORG_A, ["skus"]);
      // What the triggers send (migrations/0006), committed by another connection of the pool.
      await database.db.execute(sql`select pg_notify(${ORG_CHANGES_CHANNEL}, ${`skus:${ORG_A}`})`);
      await changes.sync();
      expect(changes.token(ORG_A, ["skus"])).not.toBe(before);
      expect(changes.stats.notifications).toBeGreaterThanOrEqual(2);
    } finally {
      await changes.close();
    }
  });

  it("answers the syncs that wait for one NOTIFY statement with one notification", async () => {
    const changes = createOrgChanges(
      database.db,
      (h) => database.listen(ORG_CHANGES_CHANNEL, h),
      createLogger("debug", new LogCapture()),
    );
    try {
      await expect.poll(() => changes.listening).toBe(true);
      const before = changes.stats.notifications;
      // The first is sent at once; the twenty that come while it is on its way share the next.
      const first = changes.sync();
      await Promise.all([first, ...Array.from({ length: 20 }, () => changes.sync())]);
      expect(changes.stats.notifications - before).toBe(2);
      // One that comes after those were sent has a marker of its own.
      await changes.sync();
      expect(changes.stats.notifications - before).toBe(3);
    } finally {
      await changes.close();
    }
  });
});

describe("writers that do not queue on each other", () => {
  const printerOf = (organizationId: string, machineId: string) => ({
    organizationId,
    machineId,
    name: machineId,
    status: "idle" as const,
    reachable: true,
  });

  it("defers a transaction's notifications to announce(), which listeners then hear", async () => {
    const changes = createOrgChanges(
      database.db,
      (h) => database.listen(ORG_CHANGES_CHANNEL, h),
      createLogger("debug", new LogCapture()),
    );
    try {
      await expect.poll(() => changes.listening).toBe(true);
      const { organization } = await createOrganization(database.db, "Deferred");
      const before = changes.token(organization.id, ["printers"]);
      const payloads = await database.db.transaction(async (tx) => {
        await deferOrgChanges(tx);
        await tx.insert(printers).values(printerOf(organization.id, "m1"));
        await tx.insert(printers).values(printerOf(organization.id, "m2"));
        return deferredOrgChanges(tx);
      });
      expect(payloads).toEqual([`printers:${organization.id}`]);
      // Committed, but announced by nobody yet.
      await changes.sync();
      expect(changes.token(organization.id, ["printers"])).toBe(before);
      changes.announce(payloads);
      await changes.sync();
      expect(changes.token(organization.id, ["printers"])).not.toBe(before);
    } finally {
      await changes.close();
    }
  });

  it("lets a second writer of the organization commit while the first is still open, and counts both in the version", async () => {
    const { organization } = await createOrganization(database.db, "Two agents");
    const start = await printerListVersion(database.db, organization.id);
    await database.db.transaction(async (first) => {
      await first.insert(printers).values(printerOf(organization.id, "a1"));
      // Another connection: it would wait for this transaction's commit if both bumped one row.
      await database.db.transaction(async (second) => {
        await second.execute(sql`set local lock_timeout = '3s'`);
        await second.insert(printers).values(printerOf(organization.id, "b1"));
      });
      expect(await printerListVersion(database.db, organization.id)).toBe(start + 1);
    });
    expect(await printerListVersion(database.db, organization.id)).toBe(start + 2);
  });
});
