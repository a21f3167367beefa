// The agent's client of /agent/v1 (packages/agent-core/src/api) is openapi-fetch typed by types
// generated from this document: a changed route fails here until they are regenerated.
import { readFileSync } from "node:fs";
import { createAgentApi } from "@apf/agent-core/api/agent-client";
import { inlineSecret } from "@apf/agent-core/secret-provider";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  AGENT_API_TYPES_FILE,
  generateAgentApiTypes,
} from "../../../../scripts/generate-agent-api.ts";
import { createApp } from "../../src/app.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices({ redis: false });
  app = createApp(services);
});
afterAll(() => services.close());

it("keeps the agent's committed client types in step with /agent/v1/openapi.json", async () => {
  const document = await (await app.request("/agent/v1/openapi.json")).json();
  // On failure: npm run generate:agent-api
  expect(await generateAgentApiTypes(document)).toBe(readFileSync(AGENT_API_TYPES_FILE, "utf8"));
});

it("reports and polls through the agent's client, talking to the app", async () => {
  const { organization } = await createOrganization(services.db, "Client Farm");
  const agent = await createAgent(services.db, organization.id);
  const api = createAgentApi({
    apiUrl: "http://apf.test/",
    agentToken: inlineSecret(agent.token),
    userAgent: "apf-agent/test",
    fetch: async (input, init) => app.request(new Request(input, init)),
  });

  const report = await api.POST("/reports", {
    body: {
      agent: { version: "0.1.0", hostname: "farm-pi" },
      sent_at: new Date().toISOString(),
      machines: [
        {
          machine_id: "printer-1",
          name: "Prusa MK4",
          type: "OCTOPRINT",
          url: "http://192.168.1.41:5000",
          observed_at: new Date().toISOString(),
          reachable: false,
          error: "connection refused (ECONNREFUSED)",
          octoprint: null,
        },
      ],
    },
  });
  expect(report.response.status).toBe(202);
  expect(report.data?.data.machines).toBe(1);

  const poll = await api.GET("/commands", { params: { query: { wait: 1 } } });
  expect(poll.response.status).toBe(200);
  expect(poll.data?.data).toEqual([]);

  const result = await api.POST("/commands/{id}/result", {
    params: { path: { id: "00000000-0000-4000-8000-000000000000" } },
    body: { ok: true, octoprint_status: 204, error: null },
  });
  expect(result.response.status).toBe(404);
  expect(result.error?.code).toBe("NOT_FOUND");
});
