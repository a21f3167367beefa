// The types of the dashboard API (/api), generated from its OpenAPI document with
// openapi-typescript, for the dashboard's openapi-fetch client (apps/dashboard/src/client/api/).
// After changing an /api route, regenerate the committed copy:
//   npm run generate:dashboard-api
// (or, from a document already written by scripts/openapi-documents.ts:
//   node --import tsx scripts/generate-dashboard-api.ts <dir>/dashboard.json)
// apps/api/test/dashboard-client-types.test.ts fails while the copy is out of step.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { currentDocument, generateTypes } from "./openapi-types.ts";

export const DASHBOARD_API_TYPES_FILE = fileURLToPath(
  new URL("../apps/dashboard/src/client/api/dashboard-api.generated.ts", import.meta.url),
);

/** The committed file's text for `document` (the dashboard API's OpenAPI document). */
export function generateDashboardApiTypes(document: unknown): Promise<string> {
  return generateTypes(
    document,
    "/api/openapi.json",
    "npm run generate:dashboard-api",
    "scripts/generate-dashboard-api.ts",
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  const document = source
    ? JSON.parse(readFileSync(source, "utf8"))
    : currentDocument("dashboard.json");
  writeFileSync(DASHBOARD_API_TYPES_FILE, await generateDashboardApiTypes(document));
  console.log(`wrote ${DASHBOARD_API_TYPES_FILE}`);
}
