import { mintToken } from "@apf/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { API_KEY_CREDENTIAL, revokeCredential } from "../../src/modules/keys/revoke-credential.ts";
import { freshIp, publicTestServices, tenant } from "../public/helpers.ts";
import { createMember, createSession } from "../support/dashboard-factories.ts";
import { createApiKey } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { emit } from "./helpers.ts";
import { type OpenStream, openStream } from "./sse-client.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
const open: OpenStream[] = [];

beforeAll(async () => {
  services = await publicTestServices({ events: { heartbeatMs: 300 } });
  app = createApp(services);
});
afterAll(async () => {
  for (const s of open) await s.close();
  await services.close();
});

async function stream(key: string, options: { lastEventId?: string; query?: string } = {}) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    "x-forwarded-for": freshIp(),
  };
  if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
  const s = await openStream(app, `/public/v1/events/stream${options.query ?? ""}`, headers);
  open.push(s);
  return s;
}

const data = (n: number) => ({ n });

describe("GET /public/v1/events/stream", () => {
  it("answers text/event-stream and delivers an event committed after it opened, its sequence as id", async () => {
    const a = await tenant(services.db, "A");
    const s = await stream(a.key);
    expect(s.response.status).toBe(200);
    expect(s.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await emit(services, a.organization.id, { type: "job.completed", data: data(1) });
    const m = await s.next();
    expect(m).toMatchObject({ id: "1", event: "job.completed" });
    expect(m.json).toMatchObject({
      sequence: 1,
      type: "job.completed",
      organization_id: a.organization.id,
      data: { n: 1 },
    });
    expect(m.json.id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it("after Last-Event-ID, sends every missed event exactly once, then live ones", async () => {
    const a = await tenant(services.db, "A");
    const org = a.organization.id;
    for (let n = 1; n <= 5; n++) await emit(services, org, { type: "job.queued", data: data(n) });
    const s = await stream(a.key, { lastEventId: "2" });
    await emit(services, org, { type: "job.queued", data: data(6) });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await s.next()).id!);
    expect(seen).toEqual(["3", "4", "5", "6"]);
    // Nothing twice: the next event is the next one committed.
    await new Promise((r) => setTimeout(r, 400));
    await emit(services, org, { type: "job.queued", data: data(7) });
    expect((await s.next()).id).toBe("7");
  });

  it("without Last-Event-ID starts with the next event; with types, sends only those", async () => {
    const a = await tenant(services.db, "A");
    const org = a.organization.id;
    await emit(services, org, { type: "job.queued" });
    const all = await stream(a.key);
    const some = await stream(a.key, { query: "?types=job.completed,printer.status_changed" });
    await emit(services, org, { type: "job.started" }, { type: "job.completed" });
    expect((await all.next()).id).toBe("2");
    expect((await all.next()).id).toBe("3");
    expect(await some.next()).toMatchObject({ id: "3", event: "job.completed" });
  });

  it("refuses an unknown event type, naming it", async () => {
    const a = await tenant(services.db, "A");
    const res = await app.request("/public/v1/events/stream?types=job.done", {
      headers: { authorization: `Bearer ${a.key}`, "x-forwarded-for": freshIp() },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('unknown event type \\"job.done\\"');
  });

  it("never carries another organization's events", async () => {
    const a = await tenant(services.db, "A");
    const b = await tenant(services.db, "B");
    const s = await stream(b.key);
    await emit(services, a.organization.id, { type: "job.completed", data: data(1) });
    await emit(services, b.organization.id, { type: "job.failed", data: data(2) });
    const m = await s.next();
    expect(m).toMatchObject({ id: "1", event: "job.failed" });
    expect(m.json.organization_id).toBe(b.organization.id);
  });

  it("sends a keep-alive comment every heartbeat", async () => {
    const a = await tenant(services.db, "A");
    const s = await stream(a.key);
    await new Promise((r) => setTimeout(r, 800));
    expect(s.comments.filter((c) => c === "keep-alive").length).toBeGreaterThanOrEqual(2);
  });

  it("ends when its key is revoked, and the key opens no other", async () => {
    const a = await tenant(services.db, "A");
    const other = await createApiKey(services.db, a.organization.id);
    const s = await stream(other.key);
    const kept = await stream(a.key);
    await revokeCredential(
      services,
      {
        origin: {
          organizationId: a.organization.id,
          kind: "user",
          id: null,
          address: null,
          userAgent: null,
        },
        organizationId: a.organization.id,
        now: services.clock.now(),
      },
      API_KEY_CREDENTIAL,
      other.id,
    );
    await services.events.relay.runOnce();
    await expect(
      Promise.race([s.ended.then(() => "ended"), new Promise((r) => setTimeout(r, 2000, "open"))]),
    ).resolves.toBe("ended");
    // Another key's stream hears of it (api_key.revoked) and stays open.
    expect(await kept.next()).toMatchObject({ event: "api_key.revoked" });
    expect((await stream(other.key)).response.status).toBe(401);
  });

  it("answers 429 RATE_LIMITED to a sixth open stream of one key, and lets one in once one closes", async () => {
    const a = await tenant(services.db, "A");
    const five = [];
    for (let i = 0; i < 5; i++) five.push(await stream(a.key));
    expect(five.map((s) => s.response.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await stream(a.key);
    expect(sixth.response.status).toBe(429);
    expect(await sixth.response.json()).toMatchObject({ code: "RATE_LIMITED" });
    expect((await sixth.response.headers.get("retry-after")) ?? "").toMatch(/^\d+$/);
    // Another key of the organization has its own five.
    const other = await createApiKey(services.db, a.organization.id);
    expect((await stream(other.key)).response.status).toBe(200);
    await five[0]!.close();
    await expect.poll(async () => (await stream(a.key)).response.status).toBe(200);
  });

  it("is closed by default: no key, a malformed, unknown or revoked key, a key without events:read", async () => {
    const a = await tenant(services.db, "A");
    const noKey = await openStream(app, "/public/v1/events/stream", {
      "x-forwarded-for": freshIp(),
    });
    expect(noKey.response.status).toBe(401);
    expect((await stream(`${a.key.slice(0, -1)}x`)).response.status).toBe(401);
    expect((await stream(mintToken("live").token)).response.status).toBe(401);
    const narrow = await createApiKey(services.db, a.organization.id, { scopes: ["jobs:read"] });
    const denied = await stream(narrow.key);
    expect(denied.response.status).toBe(403);
    expect(await denied.response.json()).toMatchObject({ code: "INSUFFICIENT_SCOPE" });
    const broad = await createApiKey(services.db, a.organization.id, { scopes: ["read"] });
    expect((await stream(broad.key)).response.status).toBe(200);
  });

  it("ends every open stream at shutdown", async () => {
    const a = await tenant(services.db, "A");
    const s = await stream(a.key);
    const local = await publicTestServices({ database: services.database });
    const localApp = createApp(local);
    const t = await tenant(local.db, "T");
    const there = await openStream(localApp, "/public/v1/events/stream", {
      authorization: `Bearer ${t.key}`,
    });
    expect(there.response.status).toBe(200);
    local.events.endStreams();
    await there.ended;
    await local.close();
    // The other instance's stream is untouched.
    await emit(services, a.organization.id, { type: "job.queued" });
    expect((await s.next()).event).toBe("job.queued");
  });
});

describe("GET /api/orgs/{orgId}/events/stream", () => {
  it("streams to any member with the session, from Last-Event-ID", async () => {
    const a = await tenant(services.db, "A");
    const member = await createMember(services, a.organization.id, "member");
    await emit(services, a.organization.id, { type: "job.queued" }, { type: "job.started" });
    const s = await openStream(app, `/api/orgs/${a.organization.id}/events/stream`, {
      authorization: `Bearer ${member.token}`,
      "last-event-id": "1",
    });
    open.push(s);
    expect(s.response.status).toBe(200);
    expect(await s.next()).toMatchObject({ id: "2", event: "job.started" });
  });

  it("answers 401 without a session and 404 to a user of another organization", async () => {
    const a = await tenant(services.db, "A");
    const b = await tenant(services.db, "B");
    const path = `/api/orgs/${a.organization.id}/events/stream`;
    expect((await openStream(app, path, {})).response.status).toBe(401);
    const outsider = await createSession(services, b.owner.id);
    const res = await openStream(app, path, { authorization: `Bearer ${outsider}` });
    expect(res.response.status).toBe(404);
  });
});
