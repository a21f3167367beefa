import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import type { TestServices } from "../support/services.ts";
import { call, publicTestServices, setAllowedOrigins, type TestApp, tenant } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
type Tenant = Awaited<ReturnType<typeof tenant>>;
let closed: Tenant;
let listed: Tenant;
let wildcard: Tenant;

const DASHBOARD = "https://dash.example.com";

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  closed = await tenant(services.db, "Default farm");
  listed = await tenant(services.db, "Listed farm");
  wildcard = await tenant(services.db, "Open farm");
  await setAllowedOrigins(services.db, listed.organization.id, [
    DASHBOARD,
    "http://localhost:3000",
  ]);
  await setAllowedOrigins(services.db, wildcard.organization.id, ["*"]);
});
afterAll(() => services.close());

it("answers a preflight permissively, without credentials", async () => {
  const res = await app.request("/public/v1/printers", {
    method: "OPTIONS",
    headers: {
      Origin: "https://anywhere.example",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "authorization",
    },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
  expect(res.headers.get("access-control-allow-methods")).toContain("GET");
  expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  expect(res.headers.get("access-control-allow-credentials")).toBeNull();
});

it("answers a preflight for an id path too", async () => {
  const res = await app.request("/public/v1/jobs/0b0e7c1c-0000-4000-8000-000000000000", {
    method: "OPTIONS",
    headers: { Origin: DASHBOARD, "Access-Control-Request-Method": "GET" },
  });
  expect(res.status).toBe(204);
});

it("allows no origin by default", async () => {
  const res = await call(app, "/public/v1/printers", {
    key: closed.key,
    headers: { Origin: DASHBOARD },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("access-control-allow-origin")).toBeNull();
  // (Vary: Accept-Encoding may be there: the list is served compressed to clients that accept it)
  expect(res.headers.get("vary") ?? "").not.toContain("Origin");
});

it("allows exactly the origins the key's organization lists", async () => {
  const res = await call(app, "/public/v1/printers", {
    key: listed.key,
    headers: { Origin: DASHBOARD },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
  expect(res.headers.get("vary")).toContain("Origin");
  expect(res.headers.get("access-control-expose-headers")).toContain("X-RateLimit-Remaining");
  expect(res.headers.get("access-control-allow-credentials")).toBeNull();

  for (const origin of ["https://evil.example.com", `${DASHBOARD}/`, "https://DASH.example.com"]) {
    const other = await call(app, "/public/v1/printers", {
      key: listed.key,
      headers: { Origin: origin },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  }
});

it("allows any origin when the organization lists *", async () => {
  const res = await call(app, "/public/v1/me", {
    key: wildcard.key,
    headers: { Origin: "https://tool.example.org" },
  });
  expect(res.headers.get("access-control-allow-origin")).toBe("https://tool.example.org");
});

it("carries the origin on error answers after authentication", async () => {
  const res = await call(app, "/public/v1/printers/nope", {
    key: listed.key,
    headers: { Origin: DASHBOARD },
  });
  expect(res.status).toBe(404);
  expect(res.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
});

it("lets any origin read a 401 and its WWW-Authenticate challenge, and nothing more", async () => {
  for (const key of [undefined, "apf_live_123"]) {
    const res = await call(app, "/public/v1/printers", { key, headers: { Origin: DASHBOARD } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").split(/,\s*/);
    expect(exposed).toContain("WWW-Authenticate");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="apf"/);
  }
  // An authenticated answer still goes only to the origins its organization lists.
  const other = await call(app, "/public/v1/printers", {
    key: closed.key,
    headers: { Origin: DASHBOARD },
  });
  expect(other.headers.get("access-control-allow-origin")).toBeNull();
});

it("exposes WWW-Authenticate with the other headers on an allowed origin's answers", async () => {
  const res = await call(app, "/public/v1/me", {
    key: listed.key,
    headers: { Origin: DASHBOARD },
  });
  expect(res.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
});

it("uses the calling key's organization, not another's", async () => {
  const res = await call(app, "/public/v1/printers", {
    key: closed.key,
    headers: { Origin: "https://tool.example.org" },
  });
  expect(res.headers.get("access-control-allow-origin")).toBeNull();
});
