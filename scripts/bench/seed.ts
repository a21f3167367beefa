// Seeds a fresh benchmark database straight through drizzle (no HTTP, no password hashing):
// 200 organizations of 50 printers (10,000), the first of them the measured one; 5,000 jobs;
// a 1,000-printer organization for the scaling row; API keys and agent tokens to call with;
// fresh organizations (agents, no printers) for the ingest rows.
import { mintToken, SCOPES } from "@apf/auth";
import {
  agents,
  apiKeys,
  type Database,
  jobs,
  organizations,
  type PrinterStatus,
  printers,
} from "@apf/db";

export const SMALL_ORGS = 200;
export const PRINTERS_PER_SMALL_ORG = 50;
export const SCALE_ORG_PRINTERS = 1000;
export const JOBS = 5000;
/** The contract's largest budget per key; the load is spread over many keys (see run.ts). */
export const KEY_BUDGET_PER_MINUTE = 10_000;

export interface SeededOrg {
  organizationId: string;
  agentId: string;
  agentToken: string;
  machineIds: string[];
  printerIds: string[];
}

/**
 * Fresh organizations for the ingest rows, each a list of agent tokens (no printers yet): half
 * for the rows as they are, half for the same rows with the event log off (its cost).
 */
export const INGEST_FARMS = 8;
export const FLEET_AGENTS = 20;

export interface Seeded {
  measured: SeededOrg & { keys: string[] };
  scale: SeededOrg & { keys: string[] };
  /** INGEST_FARMS organizations of one agent each. */
  sequences: string[][];
  /** INGEST_FARMS organizations of FLEET_AGENTS agents each. */
  fleets: string[][];
}

const STATUSES: PrinterStatus[] = ["idle", "printing", "idle", "paused", "idle", "error"];

async function insertAgent(db: Database, organizationId: string, name: string) {
  const minted = mintToken("agent");
  const [row] = await db
    .insert(agents)
    .values({ organizationId, name, tokenHash: minted.hash, preview: minted.preview })
    .returning({ id: agents.id });
  return { agentId: row!.id, token: minted.token };
}

async function insertKeys(db: Database, organizationId: string, count: number): Promise<string[]> {
  const minted = Array.from({ length: count }, () => mintToken("live"));
  await db.insert(apiKeys).values(
    minted.map((m, i) => ({
      organizationId,
      name: `bench key ${i}`,
      keyHash: m.hash,
      preview: m.preview,
      scopes: [...SCOPES],
      rateLimitPerMinute: KEY_BUDGET_PER_MINUTE,
    })),
  );
  return minted.map((m) => m.token);
}

function farmRows(organizationId: string, agentId: string, count: number, now: Date) {
  return Array.from({ length: count }, (_, i) => ({
    organizationId,
    agentId,
    machineId: `machine-${i}`,
    name: `Printer ${String(i).padStart(4, "0")}`,
    model: "MK4",
    manufacturer: "Prusa",
    location: `Rack ${i % 10}`,
    nozzleSize: 0.4,
    status: STATUSES[i % STATUSES.length]!,
    sourceUrl: `http://machine-${i}.local`,
    sourceVersion: "1.10.2",
    reachable: true,
    temperatures: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } },
    progressPercentage: i % 6 === 1 ? 42 : null,
    observedAt: now,
    lastSeenAt: now,
  }));
}

/** Inserts rows 1,000 at a time (one statement each); returns what `returning` gave. */
async function inChunks<R, T>(rows: R[], insert: (chunk: R[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i += 1000) out.push(...(await insert(rows.slice(i, i + 1000))));
  return out;
}

/** Seeds everything; `keys` API keys in each measured organization. */
export async function seed(db: Database, keys: number): Promise<Seeded> {
  const now = new Date();
  const orgRows = await db
    .insert(organizations)
    .values([
      ...Array.from({ length: SMALL_ORGS }, (_, i) => ({ name: `Bench Farm ${i}` })),
      { name: "Bench Scale Farm" },
      ...Array.from({ length: 2 * INGEST_FARMS }, (_, i) => ({ name: `Bench Ingest Farm ${i}` })),
    ])
    .returning({ id: organizations.id });
  const small = orgRows.slice(0, SMALL_ORGS);
  const scaleOrg = orgRows[SMALL_ORGS]!.id;
  const ingestOrgs = orgRows.slice(SMALL_ORGS + 1).map((o) => o.id);

  const agentTokens = [...small.map((o) => o.id), scaleOrg].map((organizationId) => ({
    organizationId,
    minted: mintToken("agent"),
  }));
  const agentRows = await db
    .insert(agents)
    .values(
      agentTokens.map((a) => ({
        organizationId: a.organizationId,
        name: "bench agent",
        tokenHash: a.minted.hash,
        preview: a.minted.preview,
      })),
    )
    .returning({ id: agents.id, organizationId: agents.organizationId });
  const printerRows = agentRows.flatMap((a) =>
    farmRows(
      a.organizationId,
      a.id,
      a.organizationId === scaleOrg ? SCALE_ORG_PRINTERS : PRINTERS_PER_SMALL_ORG,
      now,
    ),
  );
  const inserted = await inChunks(printerRows, (chunk) =>
    db.insert(printers).values(chunk).returning({
      id: printers.id,
      organizationId: printers.organizationId,
      machineId: printers.machineId,
    }),
  );
  const farmOf = (organizationId: string): SeededOrg => {
    const agent = agentRows.find((a) => a.organizationId === organizationId)!;
    const rows = inserted.filter((p) => p.organizationId === organizationId);
    return {
      organizationId,
      agentId: agent.id,
      agentToken: agentTokens[agentRows.indexOf(agent)]!.minted.token,
      machineIds: rows.map((r) => r.machineId),
      printerIds: rows.map((r) => r.id),
    };
  };

  // 5,000 jobs: 1,000 in the measured organization (so ?limit=50 pages through real rows),
  // the rest spread over the other organizations.
  const jobRows = Array.from({ length: JOBS }, (_, i) => {
    const org = i < 1000 ? small[0]! : small[1 + (i % (SMALL_ORGS - 1))]!;
    const finished = new Date(now.getTime() - i * 60_000);
    return {
      organizationId: org.id,
      status: (i % 10 === 0 ? "failed" : "completed") as "failed" | "completed",
      fileName: `part-${i % 17}.gcode`,
      numberOfUnits: 1 + (i % 4),
      progressPercentage: 100,
      estimatedPrintTimeMinutes: 90,
      actualPrintTimeMinutes: 88,
      timeSubmitted: new Date(finished.getTime() - 90 * 60_000),
      timeStarted: new Date(finished.getTime() - 88 * 60_000),
      timeCompleted: finished,
      createdAt: new Date(finished.getTime() - 90 * 60_000),
    };
  });
  await inChunks(jobRows, (chunk) => db.insert(jobs).values(chunk).returning({ id: jobs.id }));

  const farmAgents = async (organizationId: string, count: number) => {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++)
      tokens.push((await insertAgent(db, organizationId, `agent ${i}`)).token);
    return tokens;
  };
  const sequences: string[][] = [];
  const fleets: string[][] = [];
  for (let i = 0; i < INGEST_FARMS; i++) {
    sequences.push(await farmAgents(ingestOrgs[i]!, 1));
    fleets.push(await farmAgents(ingestOrgs[INGEST_FARMS + i]!, FLEET_AGENTS));
  }
  return {
    measured: { ...farmOf(small[0]!.id), keys: await insertKeys(db, small[0]!.id, keys) },
    scale: { ...farmOf(scaleOrg), keys: await insertKeys(db, scaleOrg, keys) },
    sequences,
    fleets,
  };
}
