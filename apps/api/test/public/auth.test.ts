import { mintToken, TOKEN_PREFIXES } from "@apf/auth";
import { apiKeys, type Database } from "@apf/db";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import type { Services } from "../../src/context.ts";
import { createApiKey } from "../support/factories.ts";
import { type TestClock, type TestServices, withPlatform } from "../support/services.ts";
import {
  body,
  call,
  failure,
  freshIp,
  publicTestServices,
  type TestApp,
  tenant,
} from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let org: string;
let key: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const t = await tenant(services.db);
  org = t.organization.id;
  key = t.key;
});
afterAll(() => services.close());

const ME = "/public/v1/me";
const raw = (headers: Record<string, string>, path = ME) =>
  app.request(path, { headers: { "X-Forwarded-For": freshIp(), ...headers } });

describe("the Authorization header", () => {
  it.each([["Bearer %s"], ["bearer %s"], ["BEARER %s"], ["Bearer    %s"], ["  Bearer %s  "]])(
    "accepts %j",
    async (template) => {
      const res = await raw({ Authorization: template.replace("%s", key) });
      expect(res.status).toBe(200);
    },
  );

  it.each([["Basic dXNlcjpwYXNz"], ["Token %s"], ["%s"], ["Bearer"], ["Bearer    "]])(
    "answers UNAUTHORIZED to %j",
    async (template) => {
      const res = await raw({ Authorization: template.replace("%s", key) });
      expect(res.status).toBe(401);
      const json = await failure(res);
      expect(json.code).toBe("UNAUTHORIZED");
      expect(json.error).toContain("Authorization: Bearer");
    },
  );

  it("answers UNAUTHORIZED when there is none", async () => {
    const res = await raw({});
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ success: false, code: "UNAUTHORIZED" });
  });

  it.each(["apikey", "api_key", "key", "API_KEY"])(
    "refuses a key in the query string (?%s=), saying to use the header",
    async (param) => {
      const res = await raw({}, `${ME}?${param}=${key}`);
      expect(res.status).toBe(401);
      const json = await failure(res);
      expect(json.code).toBe("UNAUTHORIZED");
      expect(json.error).toMatch(/query string/);
      expect(json.error).toContain("Authorization");
      expect(JSON.stringify(json)).not.toContain(key);
    },
  );

  it("refuses a query-string key even next to a valid header", async () => {
    const res = await raw({ Authorization: `Bearer ${key}` }, `${ME}?apikey=${key}`);
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("UNAUTHORIZED");
  });

  it("does not take X-Api-Key for a credential and names the Bearer header", async () => {
    const res = await raw({ "X-Api-Key": key });
    expect(res.status).toBe(401);
    const json = await failure(res);
    expect(json.code).toBe("UNAUTHORIZED");
    expect(json.error).toContain("Bearer");
    expect(json.error).toContain("X-Api-Key");
  });

  it("reads no cookie on /public/v1", async () => {
    const res = await raw({ Cookie: `apf_session=${mintToken("sess").token}; key=${key}` });
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("UNAUTHORIZED");
  });
});

describe("malformed keys", () => {
  const good = () => key;
  it.each([
    ["another kind of token", () => mintToken("agent").token],
    ["a session token", () => mintToken("sess").token],
    ["one character short", () => good().slice(0, -1)],
    ["one character long", () => `${good()}0`],
    [
      "uppercase hex",
      () => TOKEN_PREFIXES.live + good().slice(TOKEN_PREFIXES.live.length).toUpperCase(),
    ],
    [
      "a wrong checksum",
      () => `${good().slice(0, -8)}${good().slice(-8) === "00000000" ? "00000001" : "00000000"}`,
    ],
    ["a random string", () => "not-a-key"],
  ])("answers TOKEN_INVALID for %s", async (_name, make) => {
    const res = await call(app, ME, { key: make() });
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("TOKEN_INVALID");
  });

  it("rejects a malformed key before any database or Redis call", async () => {
    let dbAccesses = 0;
    const db = new Proxy(services.db, {
      get(target, property, receiver) {
        dbAccesses += 1;
        return Reflect.get(target, property, receiver);
      },
    }) as Database;
    let limiterLookups = 0;
    const rateLimiters: Services["rateLimiters"] = {
      backend: services.rateLimiters.backend,
      get(spec) {
        limiterLookups += 1;
        return services.rateLimiters.get(spec);
      },
    };
    const redisCommands = services.redis ? vi.spyOn(services.redis, "sendCommand") : null;
    const spied = createApp(withPlatform(services, { db, rateLimiters }));
    try {
      for (const bad of [`${key.slice(0, -8)}ffffffff`, key.toUpperCase(), `${key}0`, "x"]) {
        redisCommands?.mockClear();
        const res = await call(spied, ME, { key: bad });
        expect((await failure(res)).code).toBe("TOKEN_INVALID");
        expect(dbAccesses).toBe(0);
        expect(limiterLookups).toBe(0);
        expect(redisCommands?.mock.calls.length ?? 0).toBe(0);
      }
      // The same spies do see the I/O of a well-formed key, so the zeros above mean something.
      const res = await call(spied, ME, { key: mintToken("live").token });
      expect((await failure(res)).code).toBe("TOKEN_INVALID");
      expect(dbAccesses).toBeGreaterThan(0);
      expect(limiterLookups).toBeGreaterThan(0);
      if (redisCommands) expect(redisCommands.mock.calls.length).toBeGreaterThan(0);
    } finally {
      redisCommands?.mockRestore();
    }
  });

  it("answers TOKEN_INVALID for a well-formed key with a valid checksum that is unknown", async () => {
    const res = await call(app, ME, { key: mintToken("live").token });
    expect(res.status).toBe(401);
    const json = await failure(res);
    expect(json.code).toBe("TOKEN_INVALID");
    expect(json.error).toMatch(/not recognised/);
  });
});

describe("the order of the checks", () => {
  it("says TOKEN_REVOKED for a key both revoked and expired", async () => {
    const k = await createApiKey(services.db, org, {
      expiresAt: new Date(services.clock.now().getTime() - 60_000),
    });
    await revokeApiKey(services.db, org, k.id, services.clock.now());
    const res = await call(app, ME, { key: k.key });
    expect((await failure(res)).code).toBe("TOKEN_REVOKED");
  });

  it("says TOKEN_EXPIRED, not INSUFFICIENT_SCOPE, for an expired key without the scope", async () => {
    const k = await createApiKey(services.db, org, {
      scopes: ["jobs:read"],
      expiresAt: new Date(services.clock.now().getTime() - 1),
    });
    const res = await call(app, "/public/v1/printers", { key: k.key });
    expect((await failure(res)).code).toBe("TOKEN_EXPIRED");
  });

  it("expires a key at its expires_at on the services clock", async () => {
    const clock = services.clock as TestClock;
    const expiresAt = new Date(clock.now().getTime() + 60_000);
    const k = await createApiKey(services.db, org, { expiresAt });
    expect((await call(app, ME, { key: k.key })).status).toBe(200);
    clock.set(expiresAt);
    try {
      const res = await call(app, ME, { key: k.key });
      expect(res.status).toBe(401);
      const json = await failure(res);
      expect(json.code).toBe("TOKEN_EXPIRED");
      expect(json.error).toContain(expiresAt.toISOString());
    } finally {
      clock.set("2026-11-23T10:00:00.000Z");
    }
  });

  it("answers 503 UNAVAILABLE, not a 500, when the key cannot be looked up", async () => {
    const db = new Proxy(services.db, {
      get(target, property, receiver) {
        if (property === "select") {
          return () => {
            throw new Error("connection refused");
          };
        }
        return Reflect.get(target, property, receiver);
      },
    }) as Database;
    const broken = createApp(withPlatform(services, { db }));
    const res = await call(broken, ME, { key });
    expect(res.status).toBe(503);
    const json = await failure(res);
    expect(json.code).toBe("UNAVAILABLE");
    expect(JSON.stringify(json)).not.toContain("connection refused");
  });
});

describe("failed authentications per client address", () => {
  it("answers RATE_LIMITED with Retry-After past 30 a minute, for requests without a valid key", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) {
      const res = await call(app, ME, { key: mintToken("live").token, ip });
      expect((await failure(res)).code).toBe("TOKEN_INVALID");
    }
    const limited = await call(app, ME, { key: mintToken("live").token, ip });
    expect(limited.status).toBe(429);
    expect((await failure(limited)).code).toBe("RATE_LIMITED");
    const retryAfter = limited.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("x-ratelimit-limit")).toBeNull();

    const keyless = await call(app, ME, { ip });
    expect(keyless.status).toBe(429);

    // A key that is valid still works from the same address (an office behind one NAT address).
    const valid = await call(app, ME, { key, ip });
    expect(valid.status).toBe(200);

    // Another address is not affected.
    const elsewhere = await call(app, ME, { key: mintToken("live").token });
    expect((await failure(elsewhere)).code).toBe("TOKEN_INVALID");
  });

  it("counts revoked and expired keys and keyless requests as failures too", async () => {
    const ip = freshIp();
    const revoked = await createApiKey(services.db, org);
    await revokeApiKey(services.db, org, revoked.id, services.clock.now());
    for (let i = 0; i < 10; i++) await call(app, ME, { key: revoked.key, ip });
    for (let i = 0; i < 10; i++) await call(app, ME, { ip });
    for (let i = 0; i < 10; i++) await call(app, ME, { key: mintToken("live").token, ip });
    const res = await call(app, ME, { key: revoked.key, ip });
    expect(res.status).toBe(429);
  });

  it("spends no key's budget on failures", async () => {
    const ip = freshIp();
    const k = await createApiKey(services.db, org, { rateLimitPerMinute: 2 });
    for (let i = 0; i < 40; i++) await call(app, ME, { key: mintToken("live").token, ip });
    expect((await call(app, ME, { key: k.key, ip })).status).toBe(200);
    const second = await call(app, ME, { key: k.key, ip });
    expect(second.status).toBe(200);
    expect(second.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await call(app, ME, { key: k.key, ip })).status).toBe(429);
  });
});

describe("last_used_at", () => {
  async function lastUsed(id: string) {
    const [row] = await services.db
      .select({ at: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(eq(apiKeys.id, id));
    return row?.at ?? null;
  }

  it("is written at most once a minute per key, off the request path", async () => {
    const clock = services.clock as TestClock;
    const k = await createApiKey(services.db, org);
    let updates = 0;
    const db = new Proxy(services.db, {
      get(target, property, receiver) {
        if (property === "update") updates += 1;
        return Reflect.get(target, property, receiver);
      },
    }) as Database;
    const counted = createApp(withPlatform(services, { db }));
    const start = clock.now();
    try {
      expect(await lastUsed(k.id)).toBeNull();
      expect((await call(counted, ME, { key: k.key })).status).toBe(200);
      await vi.waitFor(async () => expect(await lastUsed(k.id)).toEqual(start));
      clock.advance(30_000);
      for (let i = 0; i < 5; i++)
        expect((await call(counted, ME, { key: k.key })).status).toBe(200);
      expect(updates).toBe(1);
      expect(await lastUsed(k.id)).toEqual(start);
      clock.advance(31_000);
      expect((await call(counted, ME, { key: k.key })).status).toBe(200);
      expect(updates).toBe(2);
      await vi.waitFor(async () => expect(await lastUsed(k.id)).toEqual(clock.now()));
    } finally {
      clock.set("2026-11-23T10:00:00.000Z");
    }
  });

  it("never holds up the response", async () => {
    const k = await createApiKey(services.db, org);
    const db = new Proxy(services.db, {
      get(target, property, receiver) {
        if (property === "update") {
          const never = {
            set: () => never,
            where: () => never,
            returning: () => new Promise(() => {}),
          };
          return () => never;
        }
        return Reflect.get(target, property, receiver);
      },
    }) as Database;
    const res = await call(createApp(withPlatform(services, { db })), ME, { key: k.key });
    expect(res.status).toBe(200);
  });

  it("logs a failed write instead of failing the request", async () => {
    const k = await createApiKey(services.db, org);
    const db = new Proxy(services.db, {
      get(target, property, receiver) {
        if (property === "update") {
          return () => {
            throw new Error("disk full");
          };
        }
        return Reflect.get(target, property, receiver);
      },
    }) as Database;
    const res = await call(createApp(withPlatform(services, { db })), ME, { key: k.key });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(services.logs.text).toContain("could not record last_used_at"));
  });
});
