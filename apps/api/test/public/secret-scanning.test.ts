import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashToken, mintToken } from "@apf/auth";
import { auditEvents } from "@apf/db";
import { listAgents } from "@apf/db/queries/agent-admin";
import { listApiKeys } from "@apf/db/queries/api-key-admin";
import { revokeApiKey } from "@apf/db/queries/api-keys";
import { hasOpenCommandChannel } from "@apf/db/queries/command-channels";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { agentTopic } from "../../src/modules/control/bus.ts";
import { postReport } from "../agent/report-builder.ts";
import { channelOpen, poll } from "../control/helpers.ts";
import { createAgent, createApiKey, createOrganization } from "../support/factories.ts";
import type { TestServices } from "../support/services.ts";
import { call, freshIp, publicTestServices, type TestApp } from "./helpers.ts";

// The test is GitHub: it makes its own key pairs and publishes them in a key-set file.
const dir = mkdtempSync(join(tmpdir(), "apf-github-keys-"));
const keySetPath = join(dir, "keys.json");

function keyPair() {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}
const github = keyPair();
const rotated = keyPair();
const stranger = keyPair();

function publish(keys: { id: string; publicKey: KeyObject }[]) {
  writeFileSync(
    keySetPath,
    JSON.stringify({
      public_keys: keys.map((k) => ({
        key_identifier: k.id,
        key: k.publicKey.export({ type: "spki", format: "pem" }),
        is_current: true,
      })),
    }),
  );
}

let services: TestServices;
let app: TestApp;
let organizationId: string;

beforeAll(async () => {
  publish([{ id: "github-1", publicKey: github.publicKey }]);
  services = await publicTestServices({ env: { APF_GITHUB_KEYS: keySetPath } });
  app = createApp(services);
  organizationId = (await createOrganization(services.db)).organization.id;
});
afterAll(async () => {
  await services.close();
});

interface Report {
  token: string;
  type: string;
  url: string;
  source: string;
}

function leak(token: string, type = "apf_api_key"): Report {
  return { token, type, url: "https://github.com/someone/repo/blob/main/.env", source: "content" };
}

function post(
  raw: string,
  options: { identifier?: string | null; signature?: string | null } = {},
) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-forwarded-for": freshIp(),
  };
  if (options.identifier !== null) {
    headers["github-public-key-identifier"] = options.identifier ?? "github-1";
  }
  if (options.signature !== null) {
    headers["github-public-key-signature"] =
      options.signature ?? sign("sha256", Buffer.from(raw), github.privateKey).toString("base64");
  }
  return app.request("/public/v1/secret-scanning/github", { method: "POST", headers, body: raw });
}

async function keyWorks(key: string) {
  return (await call(app, "/public/v1/me", { key })).status === 200;
}

async function leakedEvents() {
  const rows = await services.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.organizationId, organizationId));
  return rows.filter((r) => r.action === "key.revoked_leaked");
}

describe("POST /public/v1/secret-scanning/github", () => {
  it("revokes reported live API keys and agent tokens at once, audits each, and answers GitHub's verdicts", async () => {
    const key = await createApiKey(services.db, organizationId, { name: "ci key" });
    const agent = await createAgent(services.db, organizationId, "barn agent");
    expect(await keyWorks(key.key)).toBe(true);

    const raw = JSON.stringify([leak(key.key), leak(agent.token, "apf_agent_token")]);
    const res = await post(raw);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual([
      { token_hash: hashToken(key.key), token_type: "apf_api_key", label: "true_positive" },
      { token_hash: hashToken(agent.token), token_type: "apf_agent_token", label: "true_positive" },
    ]);

    const revoked = await call(app, "/public/v1/me", { key: key.key });
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).code).toBe("TOKEN_REVOKED");
    const report = await postReport(app, agent.token, "{}");
    expect((await report.json()).code).toBe("TOKEN_REVOKED");

    // Owners see them marked as leaked.
    const keys = await listApiKeys(services.db, organizationId);
    expect(keys.find((k) => k.id === key.id)?.revokedReason).toBe("leaked");
    const agents = await listAgents(services.db, organizationId);
    expect(agents.find((a) => a.id === agent.id)?.revokedReason).toBe("leaked");

    const events = await leakedEvents();
    expect(events.map((e) => e.targetId).sort()).toEqual([key.id, agent.id].sort());
    for (const event of events) {
      expect(event.actorType).toBe("system");
      expect(event.details).toMatchObject({
        url: "https://github.com/someone/repo/blob/main/.env",
        source: "content",
      });
      expect(JSON.stringify(event)).not.toContain(key.key);
      expect(JSON.stringify(event)).not.toContain(agent.token);
    }
  });

  it("closes a leaked agent's open command channel at once, as the dashboard's revoke does", async () => {
    const agent = await createAgent(services.db, organizationId, "leaky agent");
    const open = poll(app, agent.token, 25);
    await channelOpen(services, agent.id);
    // The wake-up every instance's open polls of this agent listen on.
    let wakeUps = 0;
    const unsubscribe = services.commandBus.subscribe(agentTopic(agent.id), () => {
      wakeUps += 1;
    });
    try {
      expect((await post(JSON.stringify([leak(agent.token, "apf_agent_token")]))).status).toBe(200);
      await expect.poll(() => wakeUps).toBeGreaterThan(0);
    } finally {
      unsubscribe();
    }
    const closed = await open;
    expect(closed.status).toBe(401);
    expect(closed.body.code).toBe("TOKEN_REVOKED");
    expect(await hasOpenCommandChannel(services.db, agent.id, services.clock.now())).toBe(false);
  });

  it("labels unknown, malformed, expired, already revoked and session tokens false_positive and changes nothing", async () => {
    const revokedKey = await createApiKey(services.db, organizationId);
    await revokeApiKey(services.db, organizationId, revokedKey.id, new Date());
    const expired = await createApiKey(services.db, organizationId, {
      expiresAt: new Date("2020-01-01T00:00:00Z"),
    });
    const live = await createApiKey(services.db, organizationId);
    const tokens = [
      mintToken("live").token,
      `${live.key.slice(0, -1)}${live.key.endsWith("0") ? "1" : "0"}`,
      revokedKey.key,
      expired.key,
      mintToken("sess").token,
      "not a token",
    ];
    const before = (await leakedEvents()).length;
    const res = await post(JSON.stringify(tokens.map((t) => leak(t))));
    expect(res.status).toBe(200);
    const verdicts = await res.json();
    expect(verdicts.map((v: { label: string }) => v.label)).toEqual(
      Array(tokens.length).fill("false_positive"),
    );
    expect(verdicts.map((v: { token_hash: string }) => v.token_hash)).toEqual(
      tokens.map(hashToken),
    );
    expect(await keyWorks(live.key)).toBe(true);
    expect((await leakedEvents()).length).toBe(before);
    const keys = await listApiKeys(services.db, organizationId);
    expect(keys.find((k) => k.id === revokedKey.id)?.revokedReason).toBe("manual");
  });

  it("answers 401 and changes nothing for a missing, wrong or foreign signature, before reading the body", async () => {
    const key = await createApiKey(services.db, organizationId);
    const raw = JSON.stringify([leak(key.key)]);
    const forged = sign("sha256", Buffer.from(raw), stranger.privateKey).toString("base64");
    const otherBody = sign("sha256", Buffer.from("[]"), github.privateKey).toString("base64");
    const attempts = [
      post(raw, { signature: null }),
      post(raw, { identifier: null }),
      post(raw, { signature: forged }),
      post(raw, { signature: otherBody }),
      post(raw, { signature: "bm90IGEgc2lnbmF0dXJl" }),
      post(raw, { identifier: "no-such-key" }),
      // Not JSON and not signed: 401, not 400 — nothing parses an unsigned body.
      post("{not json", { signature: null }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe("UNAUTHORIZED");
    }
    expect(await keyWorks(key.key)).toBe(true);
  });

  it("answers 400 for a signed body that is not a list of reports", async () => {
    for (const raw of [
      "{not json",
      JSON.stringify({ token: "x" }),
      JSON.stringify([{ type: 1 }]),
    ]) {
      const res = await post(raw);
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe("INVALID_REQUEST");
    }
  });

  it("accepts a signed report of up to 1 MiB (beyond /public/v1's 64 KiB) and refuses a larger one with 413", async () => {
    const key = await createApiKey(services.db, organizationId);
    // GitHub batches its findings: 900 reports with long urls are about 900 KiB.
    const reports = [leak(key.key)];
    for (let i = 0; i < 899; i++) {
      reports.push({
        ...leak(mintToken("live").token),
        url: `https://github.com/x/${"y".repeat(800)}`,
      });
    }
    const raw = JSON.stringify(reports);
    expect(raw.length).toBeGreaterThan(800 * 1024);
    expect(raw.length).toBeLessThan(1024 * 1024);
    const res = await post(raw);
    expect(res.status).toBe(200);
    expect((await res.json())[0].label).toBe("true_positive");
    expect(await keyWorks(key.key)).toBe(false);

    const tooLarge = await post(`[${" ".repeat(1024 * 1024)}]`);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      error: "A report may be at most 1 MiB.",
    });
  });

  it("still refuses other /public/v1 bodies over 64 KiB", async () => {
    const key = await createApiKey(services.db, organizationId, { scopes: ["write"] });
    const res = await app.request("/public/v1/materials/filament", {
      method: "POST",
      headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(70 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  it("re-reads the key set once when a new key identifier arrives (GitHub rotated its key)", async () => {
    const key = await createApiKey(services.db, organizationId);
    const raw = JSON.stringify([leak(key.key)]);
    const signedByRotated = sign("sha256", Buffer.from(raw), rotated.privateKey).toString("base64");
    expect((await post(raw, { identifier: "github-2", signature: signedByRotated })).status).toBe(
      401,
    );
    publish([
      { id: "github-1", publicKey: github.publicKey },
      { id: "github-2", publicKey: rotated.publicKey },
    ]);
    const res = await post(raw, { identifier: "github-2", signature: signedByRotated });
    expect(res.status).toBe(200);
    expect((await res.json())[0].label).toBe("true_positive");
    expect(await keyWorks(key.key)).toBe(false);
  });
});
