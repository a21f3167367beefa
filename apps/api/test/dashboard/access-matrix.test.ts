import { randomBytes, randomUUID } from "node:crypto";
import { type Role, tasks } from "@apf/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { OPEN_DASHBOARD_ROUTES } from "../../src/routes/dashboard/index.ts";
import { PRUSA_GCODE } from "../files/helpers.ts";
import { createPrintFile } from "../queue/helpers.ts";
import { type DashboardOperation, dataOf, failure } from "../support/dashboard-answers.ts";
import { call, createMember, createPrinter, createTeam } from "../support/dashboard-factories.ts";
import { createJob } from "../support/public-factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

type Team = Awaited<ReturnType<typeof createTeam>>;
interface Request {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The creating routes `created` posts to, under the organization. */
const CREATE = {
  "/files": "dashboardCreatePrintFile",
  "/webhook-endpoints": "dashboardCreateWebhookEndpoint",
  "/members": "dashboardAddMember",
  "/api-keys": "dashboardCreateApiKey",
  "/agents": "dashboardCreateAgent",
  "/skus": "dashboardCreateSku",
  "/filament": "dashboardCreateFilamentSpool",
} as const satisfies Record<string, DashboardOperation>;

/** Creates, through the API as the owner, something for a route to act on; returns its id. */
async function created(team: Team, path: keyof typeof CREATE, body: unknown): Promise<string> {
  const res = await call(app, "POST", `/api/orgs/${team.organization.id}${path}`, {
    token: team.owner.token,
    body,
  });
  expect(res.status).toBe(201);
  const data = dataOf(res, CREATE[path]);
  return "invitation" in data ? data.invitation.id : data.id;
}

/** Step 1 of an upload, as the owner: the upload path under the organization and the key. */
async function uploadStarted(team: Team) {
  const res = await call(app, "POST", `/api/orgs/${team.organization.id}/files/upload-url`, {
    token: team.owner.token,
    body: { filename: "part.gcode" },
  });
  expect(res.status).toBe(201);
  const prefix = `/api/orgs/${team.organization.id}`;
  return {
    path: dataOf(res, "dashboardCreateFileUploadUrl").upload_url.slice(prefix.length),
    storageKey: dataOf(res, "dashboardCreateFileUploadUrl").storage_key,
  };
}

/** A print file (with a thumbnail) uploaded and recorded by the owner. */
async function uploadedFile(team: Team): Promise<string> {
  const { path, storageKey } = await uploadStarted(team);
  const put = await app.request(`/api/orgs/${team.organization.id}${path}`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${team.owner.token}`,
      "content-length": String(PRUSA_GCODE.length),
    },
    body: PRUSA_GCODE,
  });
  expect(put.status).toBe(200);
  return created(team, "/files", { name: randomUUID(), storage_key: storageKey });
}

const email = () => `x-${randomBytes(5).toString("hex")}@example.test`;

/** A webhook endpoint of the team (a public address: nothing is resolved or sent here). */
const endpoint = (t: Team) =>
  created(t, "/webhook-endpoints", { url: "https://93.184.215.14/hooks" });

/** A delivery of the team's endpoint (its test ping). */
async function delivery(t: Team) {
  const id = await endpoint(t);
  const res = await call(
    app,
    "POST",
    `/api/orgs/${t.organization.id}/webhook-endpoints/${id}/test`,
    {
      token: t.owner.token,
    },
  );
  expect(res.status).toBe(202);
  return { id, delivery: dataOf(res, "dashboardTestWebhookEndpoint").id };
}

/** Every route that needs owner or admin, with what it takes to succeed. */
const MANAGER_ROUTES: [string, (t: Team) => Promise<Request>][] = [
  ["GET /webhook-endpoints", async () => ({ method: "GET", path: "/webhook-endpoints" })],
  [
    "POST /webhook-endpoints",
    async () => ({
      method: "POST",
      path: "/webhook-endpoints",
      body: { url: "https://93.184.215.14/hooks", event_types: ["job.completed"] },
    }),
  ],
  [
    "GET /webhook-endpoints/{endpointId}",
    async (t) => ({ method: "GET", path: `/webhook-endpoints/${await endpoint(t)}` }),
  ],
  [
    "PATCH /webhook-endpoints/{endpointId}",
    async (t) => ({
      method: "PATCH",
      path: `/webhook-endpoints/${await endpoint(t)}`,
      body: { enabled: false },
    }),
  ],
  [
    "DELETE /webhook-endpoints/{endpointId}",
    async (t) => ({ method: "DELETE", path: `/webhook-endpoints/${await endpoint(t)}` }),
  ],
  [
    "POST /webhook-endpoints/{endpointId}/roll-secret",
    async (t) => ({ method: "POST", path: `/webhook-endpoints/${await endpoint(t)}/roll-secret` }),
  ],
  [
    "POST /webhook-endpoints/{endpointId}/test",
    async (t) => ({ method: "POST", path: `/webhook-endpoints/${await endpoint(t)}/test` }),
  ],
  [
    "GET /webhook-endpoints/{endpointId}/deliveries",
    async (t) => ({ method: "GET", path: `/webhook-endpoints/${await endpoint(t)}/deliveries` }),
  ],
  [
    "POST /webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver",
    async (t) => {
      const d = await delivery(t);
      return {
        method: "POST",
        path: `/webhook-endpoints/${d.id}/deliveries/${d.delivery}/redeliver`,
      };
    },
  ],
  [
    "POST /printers/{printerId}/control",
    async (t) => {
      const printer = await createPrinter(services.db, t.organization.id, {
        status: "idle",
        lastSeenAt: services.clock.now(),
      });
      return {
        method: "POST",
        path: `/printers/${printer.id}/control`,
        body: { action: "clear_bed" },
      };
    },
  ],
  ["PATCH /orgs/{orgId}", async () => ({ method: "PATCH", path: "", body: { name: "New" } })],
  [
    "POST /members",
    async () => ({ method: "POST", path: "/members", body: { email: email(), role: "member" } }),
  ],
  [
    "PATCH /members/{userId}",
    async (t) => {
      const target = await createMember(services, t.organization.id, "member");
      return { method: "PATCH", path: `/members/${target.user.id}`, body: { role: "admin" } };
    },
  ],
  [
    "DELETE /members/{userId}",
    async (t) => {
      const target = await createMember(services, t.organization.id, "member");
      return { method: "DELETE", path: `/members/${target.user.id}` };
    },
  ],
  [
    "DELETE /invitations/{invitationId}",
    async (t) => ({
      method: "DELETE",
      path: `/invitations/${await created(t, "/members", { email: email(), role: "member" })}`,
    }),
  ],
  [
    "POST /api-keys",
    async () => ({ method: "POST", path: "/api-keys", body: { name: "k", scopes: ["jobs:read"] } }),
  ],
  [
    "DELETE /api-keys/{keyId}",
    async (t) => ({
      method: "DELETE",
      path: `/api-keys/${await created(t, "/api-keys", { name: "k", scopes: ["jobs:read"] })}`,
    }),
  ],
  [
    "POST /api-keys/{keyId}/roll",
    async (t) => ({
      method: "POST",
      path: `/api-keys/${await created(t, "/api-keys", { name: "k", scopes: ["jobs:read"] })}/roll`,
      body: { grace_hours: 1 },
    }),
  ],
  ["POST /agents", async () => ({ method: "POST", path: "/agents", body: { name: "a" } })],
  [
    "DELETE /agents/{agentId}",
    async (t) => ({
      method: "DELETE",
      path: `/agents/${await created(t, "/agents", { name: "a" })}`,
    }),
  ],
  [
    "PATCH /printers/{printerId}",
    async (t) => ({
      method: "PATCH",
      path: `/printers/${(await createPrinter(services.db, t.organization.id)).id}`,
      body: { location: "Shelf A" },
    }),
  ],
  [
    "POST /skus",
    async () => ({ method: "POST", path: "/skus", body: { sku: randomUUID(), product_name: "P" } }),
  ],
  [
    "PATCH /skus/{skuId}",
    async (t) => ({
      method: "PATCH",
      path: `/skus/${await created(t, "/skus", { sku: randomUUID(), product_name: "P" })}`,
      body: { color: "Blue" },
    }),
  ],
  [
    "POST /skus/{skuId}/stock",
    async (t) => ({
      method: "POST",
      path: `/skus/${await created(t, "/skus", { sku: randomUUID(), product_name: "P" })}/stock`,
      body: { delta: 3, reason: "recount" },
    }),
  ],
  [
    "PUT /skus/{skuId}/parts",
    async (t) => ({
      method: "PUT",
      path: `/skus/${await created(t, "/skus", { sku: randomUUID(), product_name: "Kit" })}/parts`,
      body: {
        parts: [
          {
            part_sku_id: await created(t, "/skus", { sku: randomUUID(), product_name: "Part" }),
            quantity: 2,
          },
        ],
      },
    }),
  ],
  [
    "POST /skus/{skuId}/assemble",
    async (t) => {
      const kit = await created(t, "/skus", { sku: randomUUID(), product_name: "Kit" });
      const part = await created(t, "/skus", { sku: randomUUID(), product_name: "Part" });
      const org = `/api/orgs/${t.organization.id}`;
      const owner = { token: t.owner.token };
      await call(app, "POST", `${org}/skus/${part}/stock`, {
        ...owner,
        body: { delta: 4, reason: "printed" },
      });
      await call(app, "PUT", `${org}/skus/${kit}/parts`, {
        ...owner,
        body: { parts: [{ part_sku_id: part, quantity: 2 }] },
      });
      return { method: "POST", path: `/skus/${kit}/assemble`, body: { count: 1 } };
    },
  ],
  ["POST /filament", async () => ({ method: "POST", path: "/filament", body: { type: "PLA" } })],
  [
    "PATCH /filament/{spoolId}",
    async (t) => ({
      method: "PATCH",
      path: `/filament/${await created(t, "/filament", { type: "PLA" })}`,
      body: { remaining_grams: 500 },
    }),
  ],
  ["GET /audit-events", async () => ({ method: "GET", path: "/audit-events" })],
  [
    "DELETE /files/{fileId}",
    async (t) => ({ method: "DELETE", path: `/files/${await uploadedFile(t)}` }),
  ],
];

/** Routes any member may call. */
const READ_ROUTES: [string, (t: Team) => Promise<Request>][] = [
  ["GET /orgs/{orgId}", async () => ({ method: "GET", path: "" })],
  ["GET /members", async () => ({ method: "GET", path: "/members" })],
  ["GET /invitations", async () => ({ method: "GET", path: "/invitations" })],
  ["GET /api-keys", async () => ({ method: "GET", path: "/api-keys" })],
  ["GET /agents", async () => ({ method: "GET", path: "/agents" })],
  ["GET /printers", async () => ({ method: "GET", path: "/printers" })],
  ["GET /jobs", async () => ({ method: "GET", path: "/jobs" })],
  ["GET /worklist", async () => ({ method: "GET", path: "/worklist" })],
  ["GET /skus", async () => ({ method: "GET", path: "/skus" })],
  [
    "GET /skus/{skuId}",
    async (t) => ({
      method: "GET",
      path: `/skus/${await created(t, "/skus", { sku: "R", product_name: "R" })}`,
    }),
  ],
  [
    "GET /skus/{skuId}/parts",
    async (t) => ({
      method: "GET",
      path: `/skus/${await created(t, "/skus", { sku: randomUUID(), product_name: "Kit" })}/parts`,
    }),
  ],
  ["GET /filament", async () => ({ method: "GET", path: "/filament" })],
  ...["production", "printers", "failures", "inventory", "overview"].map(
    (report): [string, (t: Team) => Promise<Request>] => [
      `GET /analytics/${report}`,
      async () => ({ method: "GET", path: `/analytics/${report}` }),
    ],
  ),
  [
    "GET /filament/{spoolId}",
    async (t) => ({
      method: "GET",
      path: `/filament/${await created(t, "/filament", { type: "PLA" })}`,
    }),
  ],
];

// Every member uploads and reads print files (the upload token is the member's own).
READ_ROUTES.push(
  [
    "POST /files/upload-url",
    async () => ({ method: "POST", path: "/files/upload-url", body: { filename: "a.gcode" } }),
  ],
  [
    "PUT /files/upload/{token}",
    async (t) => {
      // The member uploads with a token of their own (a token is bound to who asked for it).
      const res = await call(app, "POST", `/api/orgs/${t.organization.id}/files/upload-url`, {
        token: t.member.token,
        body: { filename: "part.gcode" },
      });
      const path = dataOf(res, "dashboardCreateFileUploadUrl").upload_url.slice(
        `/api/orgs/${t.organization.id}`.length,
      );
      return { method: "PUT", path, body: "G28", headers: { "content-length": "5" } };
    },
  ],
  [
    "POST /files",
    async (t) => {
      const { path, storageKey } = await uploadStarted(t);
      await app.request(`/api/orgs/${t.organization.id}${path}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${t.owner.token}`, "content-length": "3" },
        body: "G28",
      });
      return {
        method: "POST",
        path: "/files",
        body: { name: randomUUID(), storage_key: storageKey },
      };
    },
  ],
  ["GET /files", async () => ({ method: "GET", path: "/files" })],
  [
    "GET /files/{fileId}",
    async (t) => ({ method: "GET", path: `/files/${await uploadedFile(t)}` }),
  ],
  [
    "GET /files/{fileId}/thumbnail",
    async (t) => ({ method: "GET", path: `/files/${await uploadedFile(t)}/thumbnail` }),
  ],
);

/** A job of the team for the queue routes (direct rows: print files come from the files API). */
async function queueJob(t: Team, status: "queued" | "cancelled" = "queued") {
  const file = await createPrintFile(services.db, t.organization.id);
  return createJob(services.db, t.organization.id, { status, printFileId: file.id });
}

/** Routes every member may call that change something, with the answer each gets. */
const MEMBER_ROUTES: [string, (t: Team) => Promise<Request & { expect: number }>][] = [
  [
    "POST /jobs",
    async (t) => ({
      method: "POST",
      path: "/jobs",
      body: { print_file_id: (await createPrintFile(services.db, t.organization.id)).id },
      expect: 201,
    }),
  ],
  [
    "PATCH /jobs/{jobId}",
    async (t) => ({
      method: "PATCH",
      path: `/jobs/${(await queueJob(t)).id}`,
      body: { priority: 90, position: "top" },
      expect: 200,
    }),
  ],
  [
    "DELETE /jobs/{jobId}",
    async (t) => ({ method: "DELETE", path: `/jobs/${(await queueJob(t)).id}`, expect: 200 }),
  ],
  [
    "POST /jobs/{jobId}/cancel",
    async (t) => ({ method: "POST", path: `/jobs/${(await queueJob(t)).id}/cancel`, expect: 200 }),
  ],
  [
    "POST /jobs/{jobId}/retry",
    async (t) => ({
      method: "POST",
      path: `/jobs/${(await queueJob(t, "cancelled")).id}/retry`,
      expect: 200,
    }),
  ],
  [
    // Past the role check: the job has no printer, the first of the start's own answers.
    "POST /jobs/{jobId}/start",
    async (t) => ({ method: "POST", path: `/jobs/${(await queueJob(t)).id}/start`, expect: 400 }),
  ],
  [
    "POST /worklist/{taskId}/complete",
    async (t) => {
      const [task] = await services.db
        .insert(tasks)
        .values({ organizationId: t.organization.id, taskType: "collection", title: "Clear" })
        .returning();
      return { method: "POST", path: `/worklist/${task!.id}/complete`, expect: 200 };
    },
  ],
];

/** Routes that need a session but belong to no organization. */
const SESSION_ROUTES = [
  "POST /api/auth/logout",
  "POST /api/auth/password",
  "GET /api/auth/sessions",
  "DELETE /api/auth/sessions",
  "GET /api/me",
  "POST /api/invitations/accept",
];

/** The event stream never ends by itself: its access cases are in test/events/stream.test.ts. */
const STREAM_ROUTES = ["GET /api/orgs/{orgId}/events/stream"];

/** The app's /api routes in OpenAPI template form, e.g. PATCH /api/orgs/{orgId}/skus/{skuId}. */
function dashboardAppRoutes() {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/api/")) continue;
    seen.add(`${r.method} ${r.path.replace(/:([^/]+)/g, "{$1}")}`);
  }
  return [...seen].sort();
}

/** "PATCH /skus/{skuId}" of the matrix → "PATCH /api/orgs/{orgId}/skus/{skuId}". */
function fullRoute(name: string): string {
  const [method, path] = name.split(" ") as [string, string];
  return `${method} ${path.startsWith("/orgs/{orgId}") ? `/api${path}` : `/api/orgs/{orgId}${path}`}`;
}

describe("the /api route list", () => {
  it("covers every route the app registers: open, session-only, or in the matrix", () => {
    const listed = [
      ...OPEN_DASHBOARD_ROUTES,
      ...SESSION_ROUTES,
      ...STREAM_ROUTES,
      ...[...MANAGER_ROUTES, ...READ_ROUTES, ...MEMBER_ROUTES].map(([name]) => fullRoute(name)),
    ];
    expect(new Set(listed).size).toBe(listed.length);
    expect(dashboardAppRoutes()).toEqual(listed.sort());
  });

  it.each(SESSION_ROUTES)("%s answers 401 without a session", async (name) => {
    const [method, path] = name.split(" ") as [string, string];
    const res = await call(app, method, path, { body: method === "GET" ? undefined : {} });
    expect(res.status).toBe(401);
  });

  it("answers 401 without a session for a path no route serves (closed by default)", async () => {
    const res = await call(app, "GET", "/api/not-a-route");
    expect(res.status).toBe(401);
  });

  it.each(OPEN_DASHBOARD_ROUTES)("%s is reachable without a session", async (name) => {
    const [method, path] = name.split(" ") as [string, string];
    const res = await call(app, method, path, { body: method === "GET" ? undefined : {} });
    expect(res.status).not.toBe(401);
  });
});

async function send(team: Team, token: string, request: Request) {
  return call(app, request.method, `/api/orgs/${team.organization.id}${request.path}`, {
    token,
    body: request.body,
    headers: request.headers,
  });
}

const tokenOf = (team: Team, role: Role) =>
  role === "owner" ? team.owner.token : role === "admin" ? team.admin.token : team.member.token;

describe.each(MANAGER_ROUTES)("%s", (_, setup) => {
  it.each(["owner", "admin"] as const)("is allowed to an %s", async (role) => {
    const team = await createTeam(services);
    const res = await send(team, tokenOf(team, role), await setup(team));
    expect(res.status, res.text).toBeGreaterThanOrEqual(200);
    expect(res.status, res.text).toBeLessThan(300);
  });

  it("answers 403 FORBIDDEN to a member", async () => {
    const team = await createTeam(services);
    const res = await send(team, team.member.token, await setup(team));
    expect(res.status).toBe(403);
    expect(failure(res).code).toBe("FORBIDDEN");
  });
});

describe.each(MEMBER_ROUTES)("%s", (_, setup) => {
  it.each(["owner", "admin", "member"] as const)("is allowed to a %s", async (role) => {
    const team = await createTeam(services);
    const request = await setup(team);
    const res = await send(team, tokenOf(team, role), request);
    expect(res.status, res.text).toBe(request.expect);
  });
});

describe.each([...MANAGER_ROUTES, ...READ_ROUTES, ...MEMBER_ROUTES])("%s", (_, setup) => {
  it("answers 404 NOT_FOUND to the owner of another organization", async () => {
    const team = await createTeam(services);
    const stranger = await createTeam(services);
    const res = await send(team, stranger.owner.token, await setup(team));
    expect(res.status).toBe(404);
    expect(failure(res).code).toBe("NOT_FOUND");
  });

  it("answers 401 without a session", async () => {
    const team = await createTeam(services);
    const request = await setup(team);
    const res = await call(
      app,
      request.method,
      `/api/orgs/${team.organization.id}${request.path}`,
      {
        body: request.body,
      },
    );
    expect(res.status).toBe(401);
  });
});

describe.each(READ_ROUTES)("%s", (_, setup) => {
  it("is allowed to a member", async () => {
    const team = await createTeam(services);
    const res = await send(team, team.member.token, await setup(team));
    // 201 for the upload steps that create something.
    expect([200, 201], res.text).toContain(res.status);
  });
});
