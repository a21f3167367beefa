import { printers } from "@apf/db";
import { openAgentReport } from "@apf/db/queries/ingest";
import { agentReportSchema } from "@apf/printers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestReport } from "../../src/modules/ingest/ingest.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { machine, report } from "./report-builder.ts";

let services: TestServices;
let agent: { agentId: string; organizationId: string };

beforeAll(async () => {
  services = await createTestServices();
});
afterAll(async () => {
  await services.close();
});
beforeEach(async () => {
  const { organization } = await createOrganization(services.db);
  const created = await createAgent(services.db, organization.id);
  agent = { agentId: created.id, organizationId: organization.id };
});

const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));

/** Applies a report of idle machines observed at second `s`; returns what it announced. */
async function apply(s: number, ids = ["a", "b"]): Promise<string[]> {
  const body = agentReportSchema.parse(
    report(
      ids.map((id) => machine({ machineId: id, observedAt: t(s) })),
      t(s).toISOString(),
    ),
  );
  let announced: string[] = [];
  await ingestReport(
    services.db,
    agent,
    body,
    { receivedAt: t(s + 1), staleAfterS: 60 },
    (changes) => {
      announced = [...changes];
    },
  );
  return announced;
}

describe("what a report announces once committed", () => {
  it("announces the printers it wrote, as their triggers deferred them", async () => {
    // The first report adds printers and records agent.connected: read back as deferred.
    expect((await apply(0)).sort()).toEqual(
      [`events:${agent.organizationId}`, `printers:${agent.organizationId}`].sort(),
    );
    // The same machines again, later: only printer rows are written.
    expect(await apply(1)).toEqual([`printers:${agent.organizationId}`]);
  });

  it("announces nothing for a report that wrote nothing (stale)", async () => {
    await apply(5);
    expect(await apply(4)).toEqual([]);
  });

  it("announces a printer moved to another organization under that organization", async () => {
    await apply(0);
    const { organization: other } = await createOrganization(services.db, "Other Farm");
    await services.db
      .update(printers)
      .set({ organizationId: other.id })
      .where(eq(printers.machineId, "b"));
    expect((await apply(1)).sort()).toEqual(
      [`printers:${agent.organizationId}`, `printers:${other.id}`].sort(),
    );
    expect(await apply(2, ["b"])).toEqual([`printers:${other.id}`]);
  });
});

describe.runIf(process.env.APF_TEST_DATABASE_URL)("a report's first read", () => {
  it("waits for the agent's report lock and then sees what the report before it committed", async () => {
    await apply(0);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const first = services.db.transaction(async (tx) => {
      await openAgentReport(tx, agent.agentId);
      await tx
        .update(printers)
        .set({ observedAt: t(30) })
        .where(eq(printers.agentId, agent.agentId));
      locked();
      await held;
    });
    await lockTaken;
    const second = services.db.transaction((tx) => openAgentReport(tx, agent.agentId));
    // The second waits on the lock while the first has not committed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await first;
    const seen = await second;
    expect(seen.map((m) => m.observedAt?.toISOString())).toEqual([
      t(30).toISOString(),
      t(30).toISOString(),
    ]);
  });
});
