import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { postReport } from "../agent/report-builder.ts";
import { dataOf } from "../support/dashboard-answers.ts";
import { call } from "../support/dashboard-factories.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

describe("Cache-Control: no-store on answers that carry a secret", () => {
  it("marks sign-up, login, key mint, agent mint and invitation answers no-store", async () => {
    const email = "no-store@example.test";
    const password = "a passphrase nobody uses";
    const signup = await call(app, "POST", "/api/auth/signup", {
      body: { email, password, organization_name: "Cacheless Farm" },
    });
    expect(signup.status).toBe(201);
    const orgId = dataOf(signup, "dashboardSignup").organization.id;
    const login = await call(app, "POST", "/api/auth/login", { body: { email, password } });
    const token = dataOf(login, "dashboardLogin").session_token;
    const answers = {
      signup,
      login,
      key: await call(app, "POST", `/api/orgs/${orgId}/api-keys`, {
        token,
        body: { name: "ci", scopes: ["printers:read"] },
      }),
      agent: await call(app, "POST", `/api/orgs/${orgId}/agents`, {
        token,
        body: { name: "barn" },
      }),
      invitation: await call(app, "POST", `/api/orgs/${orgId}/members`, {
        token,
        body: { email: "invitee@example.test", role: "member" },
      }),
      refused: await call(app, "POST", "/api/auth/login", {
        body: { email, password: "not the password at all" },
      }),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.status, name).toBeLessThan(500);
      expect(res.headers.get("cache-control"), name).toBe("no-store");
    }
    expect(dataOf(answers.key, "dashboardCreateApiKey").key).toMatch(/^apf_live_/);
    expect(dataOf(answers.agent, "dashboardCreateAgent").token).toMatch(/^apf_agent_/);
  });

  it("marks agent answers no-store", async () => {
    const { organization } = await createOrganization(services.db);
    const agent = await createAgent(services.db, organization.id);
    const res = await postReport(app, agent.token, {
      agent: { version: "1", hostname: "pi" },
      sent_at: new Date().toISOString(),
      machines: [],
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
