// The types of the agent API (/agent/v1), generated from its OpenAPI document with
// openapi-typescript, for the agent's openapi-fetch client (packages/agent-core/src/api/). After
// changing an /agent/v1 route, regenerate the committed copy:
//   npm run generate:agent-api
// (or, from a document already written by scripts/openapi-documents.ts:
//   node --import tsx scripts/generate-agent-api.ts <dir>/agent.json)
// apps/api/test/agent/agent-client-types.test.ts fails while the copy is out of step.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { currentDocument, generateTypes } from "./openapi-types.ts";

export const AGENT_API_TYPES_FILE = fileURLToPath(
  new URL("../packages/agent-core/src/api/agent-api.generated.ts", import.meta.url),
);

/** The committed file's text for `document` (the agent API's OpenAPI document). */
export function generateAgentApiTypes(document: unknown): Promise<string> {
  return generateTypes(
    document,
    "/agent/v1/openapi.json",
    "npm run generate:agent-api",
    "scripts/generate-agent-api.ts",
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  const document = source
    ? JSON.parse(readFileSync(source, "utf8"))
    : currentDocument("agent.json");
  writeFileSync(AGENT_API_TYPES_FILE, await generateAgentApiTypes(document));
  console.log(`wrote ${AGENT_API_TYPES_FILE}`);
}
