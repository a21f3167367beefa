import { mintToken } from "@apf/auth";
import { revokeAgent } from "@apf/db/queries/agents";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { freshIp, publicTestServices, type TestApp } from "./public/helpers.ts";
import { createAgent, createApiKey, createOrganization } from "./support/factories.ts";
import type { TestServices } from "./support/services.ts";

let services: TestServices;
let app: TestApp;
let organizationId: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  organizationId = (await createOrganization(services.db)).organization.id;
});
afterAll(() => services.close());

async function challenge(path: string, authorization?: string) {
  const headers: Record<string, string> = { "x-forwarded-for": freshIp() };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await app.request(path, { headers });
  return {
    status: res.status,
    code: (await res.json()).code,
    header: res.headers.get("www-authenticate"),
  };
}

const NO_TOKEN = 'Bearer realm="apf"';
const BAD_TOKEN = 'Bearer realm="apf", error="invalid_token"';

describe("401 answers carry WWW-Authenticate: Bearer (RFC 6750)", () => {
  it("on /public/v1: a bare challenge without a token, invalid_token for a malformed, unknown, revoked or expired key", async () => {
    const revoked = await createApiKey(services.db, organizationId);
    await revokeApiKey(services.db, organizationId, revoked.id, services.clock.now());
    const expired = await createApiKey(services.db, organizationId, {
      expiresAt: new Date("2020-01-01T00:00:00Z"),
    });
    expect(await challenge("/public/v1/me")).toEqual({
      status: 401,
      code: "UNAUTHORIZED",
      header: NO_TOKEN,
    });
    expect(await challenge("/public/v1/me", "Basic dXNlcjpwYXNz")).toMatchObject({
      header: NO_TOKEN,
    });
    for (const [token, code] of [
      ["apf_live_123", "TOKEN_INVALID"],
      [mintToken("live").token, "TOKEN_INVALID"],
      [revoked.key, "TOKEN_REVOKED"],
      [expired.key, "TOKEN_EXPIRED"],
    ] as const) {
      expect(await challenge("/public/v1/printers", `Bearer ${token}`)).toEqual({
        status: 401,
        code,
        header: BAD_TOKEN,
      });
    }
  });

  it("on /agent/v1: the same for agent tokens", async () => {
    const agent = await createAgent(services.db, organizationId);
    await revokeAgent(services.db, organizationId, agent.id, services.clock.now());
    expect(await challenge("/agent/v1/commands?wait=1")).toMatchObject({
      status: 401,
      header: NO_TOKEN,
    });
    for (const token of ["apf_agent_1", mintToken("agent").token, agent.token]) {
      expect(await challenge("/agent/v1/commands?wait=1", `Bearer ${token}`)).toMatchObject({
        status: 401,
        header: BAD_TOKEN,
      });
    }
  });

  it("not on answers other than 401", async () => {
    const key = await createApiKey(services.db, organizationId, { scopes: ["jobs:read"] });
    const forbidden = await challenge("/public/v1/printers", `Bearer ${key.key}`);
    expect(forbidden).toEqual({ status: 403, code: "INSUFFICIENT_SCOPE", header: null });
  });
});
