import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { createApiKey, createOrganization } from "../../support/factories.ts";
import { createPrinter } from "../../support/public-factories.ts";
import type { TestServices } from "../../support/services.ts";
import { publicTestServices, type TestApp } from "../helpers.ts";
import { generatePublicTypes, TYPES_FILE } from "./generate.ts";
import type { paths } from "./public-api.generated.ts";

let services: TestServices;
let app: TestApp;

beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

/** An integrator's client: openapi-fetch typed by the generated paths, talking to the app. */
function client(key: string) {
  return createClient<paths>({
    baseUrl: "http://apf.test",
    headers: { authorization: `Bearer ${key}` },
    fetch: async (request: Request) => app.request(request),
  });
}

it("keeps the committed client types in step with /public/v1/openapi.json", async () => {
  const document = await (await app.request("/public/v1/openapi.json")).json();
  // On failure, regenerate as generate.ts says.
  expect(await generatePublicTypes(document)).toBe(readFileSync(TYPES_FILE, "utf8"));
});

it("reads /me and the printers through a client generated from the document", async () => {
  const { organization } = await createOrganization(services.db, "Client Farm");
  const key = await createApiKey(services.db, organization.id, { scopes: ["printers:read"] });
  const printer = await createPrinter(services.db, organization.id, { name: "Prusa MK4" });
  const api = client(key.key);

  const me = await api.GET("/public/v1/me");
  expect(me.response.status).toBe(200);
  expect(me.data?.data.organization).toEqual({ id: organization.id, name: "Client Farm" });
  expect(me.data?.data.key.scopes).toEqual(["printers:read"]);

  const list = await api.GET("/public/v1/printers", { params: { query: { limit: 10 } } });
  expect(list.response.status).toBe(200);
  expect(list.data?.data.map((p) => p.id)).toEqual([printer.id]);
  expect(list.data?.meta?.count).toBe(1);

  const one = await api.GET("/public/v1/printers/{id}", { params: { path: { id: printer.id } } });
  expect(one.data?.data.name).toBe("Prusa MK4");

  const denied = await api.GET("/public/v1/jobs");
  expect(denied.response.status).toBe(403);
  expect(denied.error?.code).toBe("INSUFFICIENT_SCOPE");
});
