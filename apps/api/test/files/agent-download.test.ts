import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { mintDownloadLink } from "../../src/modules/files/download-link.ts";
import { failure, publicTestServices, type TestApp, tenant } from "../public/helpers.ts";
import { createAgent } from "../support/factories.ts";
import type { TestClock, TestServices } from "../support/services.ts";
import { PRUSA_GCODE, uploadFile } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let fileId: string;
let organizationId: string;
let ownAgent: string;
let otherAgent: string;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
  const a = await tenant(services.db, "Farm A");
  const b = await tenant(services.db, "Farm B");
  organizationId = a.organization.id;
  fileId = (await uploadFile(app, a.key, "Benchy")).id;
  ownAgent = (await createAgent(services.db, a.organization.id)).token;
  otherAgent = (await createAgent(services.db, b.organization.id)).token;
});
afterAll(() => services.close());

const download = (url: string, token?: string) =>
  app.request(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe("GET /agent/v1/files/{token}", () => {
  it("streams the file to an agent of its organization, with its length and checksum", async () => {
    const url = mintDownloadLink(services, organizationId, fileId);
    expect(url).toMatch(/^\/agent\/v1\/files\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const res = await download(url, ownAgent);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(PRUSA_GCODE.length));
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(PRUSA_GCODE)).toBe(true);
    expect(res.headers.get("x-content-sha256")).toBe(
      createHash("sha256").update(PRUSA_GCODE).digest("hex"),
    );
  });

  it("answers 404 to another organization's agent", async () => {
    const res = await download(mintDownloadLink(services, organizationId, fileId), otherAgent);
    expect(res.status).toBe(404);
    expect((await failure(res)).code).toBe("NOT_FOUND");
  });

  it("needs an agent token", async () => {
    const res = await download(mintDownloadLink(services, organizationId, fileId));
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("UNAUTHORIZED");
  });

  it("answers 401 TOKEN_EXPIRED after an hour and INVALID_TOKEN for a link it did not sign", async () => {
    const url = mintDownloadLink(services, organizationId, fileId);
    (services.clock as TestClock).advance(3600 * 1000 + 1);
    try {
      const expired = await download(url, ownAgent);
      expect(expired.status).toBe(401);
      expect((await failure(expired)).code).toBe("TOKEN_EXPIRED");
    } finally {
      (services.clock as TestClock).advance(-(3600 * 1000 + 1));
    }
    const forged = await download(`${url.slice(0, -3)}AAA`, ownAgent);
    expect((await failure(forged)).code).toBe("INVALID_TOKEN");
  });

  it("answers 404 for a link to a file that was deleted", async () => {
    const a = await tenant(services.db, "Farm C");
    const agent = await createAgent(services.db, a.organization.id);
    const file = await uploadFile(app, a.key, "Soon gone");
    const url = mintDownloadLink(services, a.organization.id, file.id);
    await app.request(`/public/v1/files/${file.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${a.key}` },
    });
    expect((await download(url, agent.token)).status).toBe(404);
  });
});
