// The security cases of the print queue's /public/v1 routes: credentials, scopes (narrow and
// broad), and another organization's key.
import { type NarrowScope, SCOPE_REGISTRY, SCOPES, scopeForRoute } from "@apf/auth";
import { tasks } from "@apf/db";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { QUEUE_ROUTES } from "../public/routes.ts";
import { createApiKey } from "../support/factories.ts";
import { createJob } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { queueFarm, send } from "./helpers.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

type Farm = Awaited<ReturnType<typeof queueFarm>>;
interface Case {
  route: (typeof QUEUE_ROUTES)[number];
  scope: NarrowScope;
  /** A request of farm `f` that its own key is allowed to make, and what it answers. */
  setup: (f: Farm) => Promise<{ path: string; body?: unknown; status: number }>;
  /** What another organization's key gets: a 404 with this code (a list: nothing of `f`). */
  stranger: string | null;
}

const queued = (f: Farm) =>
  createJob(services.db, f.organization.id, { status: "queued", printFileId: f.file.id });

const CASES: Case[] = [
  {
    route: "POST /public/v1/jobs",
    scope: "jobs:write",
    setup: async (f) => ({
      path: "/public/v1/jobs",
      body: { print_file_id: f.file.id },
      status: 201,
    }),
    stranger: "FILE_NOT_FOUND",
  },
  {
    route: "PATCH /public/v1/jobs/{id}",
    scope: "jobs:write",
    setup: async (f) => ({
      path: `/public/v1/jobs/${(await queued(f)).id}`,
      body: { priority: 7 },
      status: 200,
    }),
    stranger: "NOT_FOUND",
  },
  {
    route: "DELETE /public/v1/jobs/{id}",
    scope: "jobs:write",
    setup: async (f) => ({ path: `/public/v1/jobs/${(await queued(f)).id}`, status: 200 }),
    stranger: "NOT_FOUND",
  },
  {
    route: "POST /public/v1/jobs/{id}/retry",
    scope: "jobs:write",
    setup: async (f) => {
      const job = await createJob(services.db, f.organization.id, {
        status: "failed",
        printFileId: f.file.id,
      });
      return { path: `/public/v1/jobs/${job.id}/retry`, status: 200 };
    },
    stranger: "NOT_FOUND",
  },
  {
    route: "POST /public/v1/jobs/{id}/start",
    scope: "jobs:control",
    // Past authentication and scope: the job has no printer, the start's first own answer.
    setup: async (f) => ({ path: `/public/v1/jobs/${(await queued(f)).id}/start`, status: 400 }),
    stranger: "JOB_NOT_FOUND",
  },
  {
    route: "POST /public/v1/jobs/{id}/cancel",
    scope: "jobs:control",
    setup: async (f) => ({ path: `/public/v1/jobs/${(await queued(f)).id}/cancel`, status: 200 }),
    stranger: "NOT_FOUND",
  },
  {
    route: "GET /public/v1/worklist",
    scope: "worklist:read",
    setup: async () => ({ path: "/public/v1/worklist", status: 200 }),
    stranger: null,
  },
  {
    route: "POST /public/v1/worklist/{id}/complete",
    scope: "worklist:write",
    setup: async (f) => {
      const [task] = await services.db
        .insert(tasks)
        .values({
          organizationId: f.organization.id,
          printerId: f.printer.id,
          taskType: "collection",
          title: "Clear the bed",
        })
        .returning();
      return { path: `/public/v1/worklist/${task!.id}/complete`, status: 200 };
    },
    stranger: "NOT_FOUND",
  },
];

const methodOf = (route: string) => route.split(" ")[0]!;

it("covers every queue route, with the scope the registry names", () => {
  expect(CASES.map((c) => c.route).sort()).toEqual([...QUEUE_ROUTES].sort());
  for (const c of CASES) {
    const [method, path] = c.route.split(" ") as [string, string];
    expect(scopeForRoute(method, path)).toBe(c.scope);
  }
});

describe.each(CASES)("$route", (c) => {
  const method = methodOf(c.route);

  it("answers the owner's key, and a key holding only the broad scope", async () => {
    const f = await queueFarm(services);
    const own = await c.setup(f);
    expect((await send(app, f.key, method, own.path, own.body)).status).toBe(own.status);
    const broad = await createApiKey(services.db, f.organization.id, {
      scopes: [SCOPE_REGISTRY[c.scope].kind],
    });
    const again = await c.setup(f);
    expect((await send(app, broad.key, method, again.path, again.body)).status).toBe(again.status);
  });

  it("answers UNAUTHORIZED without a key and TOKEN_REVOKED for a revoked one", async () => {
    const f = await queueFarm(services);
    const req = await c.setup(f);
    const none = await app.request(req.path, { method });
    expect(none.status).toBe(401);
    expect((await none.json()).code).toBe("UNAUTHORIZED");
    const revoked = await createApiKey(services.db, f.organization.id);
    await revokeApiKey(services.db, f.organization.id, revoked.id, services.clock.now());
    const res = await send(app, revoked.key, method, req.path, req.body);
    expect([res.status, res.body.code]).toEqual([401, "TOKEN_REVOKED"]);
  });

  it("answers INSUFFICIENT_SCOPE naming the scope to a key without it", async () => {
    const f = await queueFarm(services);
    const req = await c.setup(f);
    const others = SCOPES.filter((s) => s !== c.scope && s !== SCOPE_REGISTRY[c.scope].kind);
    const key = await createApiKey(services.db, f.organization.id, { scopes: others });
    const res = await send(app, key.key, method, req.path, req.body);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: "INSUFFICIENT_SCOPE",
      error: `API key missing required scope: ${c.scope}`,
    });
  });

  it("shows another organization's key nothing of this one", async () => {
    const f = await queueFarm(services);
    const stranger = await queueFarm(services);
    const req = await c.setup(f);
    const res = await send(app, stranger.key, method, req.path, req.body);
    if (c.stranger) {
      expect([res.status, res.body.code]).toEqual([404, c.stranger]);
    } else {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(f.organization.id);
      expect(JSON.stringify(res.body)).not.toContain(f.printer.id);
    }
  });
});
