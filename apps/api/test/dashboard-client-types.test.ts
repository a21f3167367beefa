// The dashboard's client of /api (apps/dashboard/src/client/api) is openapi-fetch typed by types
// generated from this document: a changed route fails here until they are regenerated.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DASHBOARD_API_TYPES_FILE,
  generateDashboardApiTypes,
} from "../../../scripts/generate-dashboard-api.ts";
import { createApp } from "../src/app.ts";
import { createTestServices, type TestServices } from "./support/services.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  services = await createTestServices({ redis: false });
  app = createApp(services);
});
afterAll(() => services.close());

it("keeps the dashboard's committed client types in step with /api/openapi.json", async () => {
  const document = await (await app.request("/api/openapi.json")).json();
  // On failure: npm run generate:dashboard-api
  expect(await generateDashboardApiTypes(document)).toBe(
    readFileSync(DASHBOARD_API_TYPES_FILE, "utf8"),
  );
});
