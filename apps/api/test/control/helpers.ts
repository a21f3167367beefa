import type { Scope } from "@apf/auth";
import type { Database, PrinterStatus } from "@apf/db";
import { hasOpenCommandChannel } from "@apf/db/queries/command-channels";
import type { z } from "@hono/zod-openapi";
import { expect, vi } from "vitest";
import type { createApp } from "../../src/app.ts";
import type { route as resultRoute } from "../../src/routes/agent/v1/command-result.ts";
import type { route as pollRoute } from "../../src/routes/agent/v1/commands-poll.ts";
import type { ErrorAnswer, Reply } from "../public/helpers.ts";
import { createAgent, createApiKey, createOrganization } from "../support/factories.ts";
import { createPrinter } from "../support/public-factories.ts";
import type { TestServices } from "../support/services.ts";

type App = ReturnType<typeof createApp>;

/** An organization with an agent, a key (control + read scopes) and one printer of that agent. */
export async function controlFarm(
  services: TestServices,
  options: { status?: PrinterStatus; scopes?: Scope[] } = {},
) {
  const { organization, owner } = await createOrganization(services.db);
  const agent = await createAgent(services.db, organization.id);
  const key = await createApiKey(services.db, organization.id, {
    scopes: options.scopes ?? ["printers:read", "printers:control"],
  });
  const printer = await addPrinter(services.db, organization.id, agent.id, services.clock.now(), {
    status: options.status ?? "printing",
  });
  return { organization, owner, agent, key: key.key, keyRow: key, printer };
}

/** Waits until the agent's command channel shows open (by the services' own clock). */
export async function channelOpen(services: TestServices, agentId: string) {
  await vi.waitFor(
    async () =>
      expect(await hasOpenCommandChannel(services.db, agentId, services.clock.now())).toBe(true),
    { timeout: 5000, interval: 20 },
  );
}

/** A printer reported by `agentId` at `seenAt`. */
export function addPrinter(
  db: Database,
  organizationId: string,
  agentId: string,
  seenAt: Date,
  values: { status?: PrinterStatus; isActive?: boolean } = {},
) {
  return createPrinter(db, organizationId, {
    agentId,
    status: values.status ?? "printing",
    isActive: values.isActive ?? true,
    lastSeenAt: seenAt,
    observedAt: seenAt,
  });
}

/** The JSON a route answers with this status, as its zod schema says. */
type Answered<
  R extends { responses: { 200: { content: { "application/json": { schema: z.ZodType } } } } },
> = z.infer<R["responses"][200]["content"]["application/json"]["schema"]>;

/** GET /agent/v1/commands: the commands handed to the agent. */
export type PolledCommands = Answered<typeof pollRoute>;
/** One command as the agent receives it. */
export type AgentCommand = PolledCommands["data"][number];

/** The status, headers and parsed body (typed as `T`: what the route documents) of an answer. */
async function json<T>(res: Response) {
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : null) as T,
  };
}

/** POST /public/v1/printers/{id}/control as an integrator. */
export async function control(
  app: App,
  key: string,
  printerId: string,
  action: string,
  headers: Record<string, string> = {},
) {
  return json<Reply<"controlPrinter">>(
    await app.request(`/public/v1/printers/${printerId}/control`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        ...headers,
      },
      body: JSON.stringify({ action }),
    }),
  );
}

/** GET /agent/v1/commands?wait=… as the agent. */
export async function poll(app: App, token: string, wait = 1, signal?: AbortSignal) {
  return json<Partial<PolledCommands> & Partial<ErrorAnswer>>(
    await app.request(`/agent/v1/commands?wait=${wait}`, {
      headers: { authorization: `Bearer ${token}` },
      ...(signal ? { signal } : {}),
    }),
  );
}

/** POST /agent/v1/commands/{id}/result as the agent. */
export async function sendResult(
  app: App,
  token: string,
  commandId: string,
  result: { ok: boolean; octoprint_status?: number | null; error?: string | null },
) {
  return json<Partial<Answered<typeof resultRoute>> & Partial<ErrorAnswer>>(
    await app.request(`/agent/v1/commands/${commandId}/result`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ octoprint_status: null, error: null, ...result }),
    }),
  );
}

/** GET /public/v1/commands/{id}. */
export async function getCommand(app: App, key: string, commandId: string) {
  return json<Reply<"getCommand">>(
    await app.request(`/public/v1/commands/${commandId}`, {
      headers: { authorization: `Bearer ${key}` },
    }),
  );
}

/**
 * An agent's channel in a test: long-polls until stopped, answering every command with `answer`
 * (default: OctoPrint's 204). Records what it received.
 */
export function fakeAgentLoop(
  app: App,
  token: string,
  answer: (command: AgentCommand) => {
    ok: boolean;
    octoprint_status?: number | null;
    error?: string;
  } = () => ({
    ok: true,
    octoprint_status: 204,
  }),
) {
  const controller = new AbortController();
  const received: AgentCommand[] = [];
  const running = (async () => {
    while (!controller.signal.aborted) {
      const res = await poll(app, token, 2, controller.signal).catch(() => null);
      if (res?.status !== 200) break;
      for (const command of res.body.data!) {
        received.push(command);
        await sendResult(app, token, command.id, answer(command));
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
