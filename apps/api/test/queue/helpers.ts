import { randomBytes, randomUUID } from "node:crypto";
import type { Scope } from "@apf/auth";
import { type Database, organizations, printFiles } from "@apf/db";
import { eq } from "drizzle-orm";
import type { createApp } from "../../src/app.ts";
import { type AgentCommand, poll, sendResult } from "../control/helpers.ts";
import { call, type Operation, type Reply } from "../public/helpers.ts";
import { createAgent, createApiKey, createOrganization } from "../support/factories.ts";
import { createPrinter } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";

type App = ReturnType<typeof createApp>;

/** A print file row, as the files capability stores one after an upload. */
export async function createPrintFile(
  db: Database,
  organizationId: string,
  values: Partial<typeof printFiles.$inferInsert> = {},
) {
  const id = randomUUID();
  const [row] = await db
    .insert(printFiles)
    .values({
      id,
      organizationId,
      name: `benchy-${randomBytes(4).toString("hex")}`,
      originalFilename: "Benchy v2.gcode",
      storageKey: `${organizationId}/${id}`,
      fileSizeBytes: 123_456,
      sha256: "a".repeat(64),
      printTimeSeconds: 3600,
      ...values,
    })
    .returning();
  return row!;
}

/**
 * An organization with a key (every scope unless told), an agent, an idle, fresh, reachable
 * printer of that agent (an MK4S with PLA) and a print file for that model.
 */
export async function queueFarm(services: TestServices, options: { scopes?: Scope[] } = {}) {
  const { organization, owner } = await createOrganization(services.db);
  const key = await createApiKey(services.db, organization.id, {
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
  const agent = await createAgent(services.db, organization.id);
  const now = services.clock.now();
  const printer = await createPrinter(services.db, organization.id, {
    agentId: agent.id,
    name: "MK4S #1",
    model: "MK4S",
    currentFilamentType: "PLA",
    lastSeenAt: now,
    observedAt: now,
  });
  const file = await createPrintFile(services.db, organization.id, { printerModel: "MK4S" });
  return { organization, owner, key: key.key, agent, printer, file };
}

/** Turns the organization's auto-start on (and its spacing). */
export async function setAutoStart(db: Database, organizationId: string, spacingSeconds = 0) {
  await db
    .update(organizations)
    .set({ autoStart: true, startSpacingSeconds: spacingSeconds })
    .where(eq(organizations.id, organizationId));
}

/** A JSON request with the key; answers status and parsed body. */
export async function send<O extends Operation = "getJob">(
  app: App,
  key: string,
  method: string,
  path: string,
  json?: unknown,
  /** What the route answers, for the body's type (a job unless said otherwise). */
  _operation?: O,
): Promise<{ status: number; body: Reply<O> }> {
  const res = await call(app, path, {
    key,
    method,
    ...(json === undefined ? {} : { json }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** POST /public/v1/jobs */
export function enqueue(app: App, key: string, body: Record<string, unknown>) {
  return send(app, key, "POST", "/public/v1/jobs", body);
}

/**
 * An agent in a test: long-polls until stopped and answers every command with `answer`
 * (undefined: takes it and never answers). Records what it received.
 */
export function agentLoop(
  app: App,
  token: string,
  answer: (command: AgentCommand) => { ok: boolean; error?: string } | undefined = () => ({
    ok: true,
  }),
) {
  const controller = new AbortController();
  const received: AgentCommand[] = [];
  const running = (async () => {
    while (!controller.signal.aborted) {
      const res = await poll(app, token, 1, controller.signal).catch(() => null);
      if (res?.status !== 200) break;
      for (const command of res.body.data!) {
        received.push(command);
        const result = answer(command);
        if (result) {
          await sendResult(app, token, command.id, {
            ok: result.ok,
            octoprint_status: result.ok ? 201 : null,
            error: result.error ?? null,
          });
        }
      }
    }
  })();
  return {
    received,
    async stop() {
      controller.abort();
      await running;
    },
  };
}
