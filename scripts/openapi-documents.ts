// Writes the OpenAPI documents of /public/v1, /api and /agent/v1, as createApp serves them, into
// the directory given as the first argument (for `redocly lint` in scripts/test.mjs).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { createApp } from "../apps/api/src/app.ts";
import { parseEnv } from "../apps/api/src/env.ts";
import { buildServices } from "../apps/api/src/platform/build.ts";

const DOCUMENTS = {
  "public.json": "/public/v1/openapi.json",
  "dashboard.json": "/api/openapi.json",
  "agent.json": "/agent/v1/openapi.json",
} as const;

const dir = process.argv[2];
if (!dir) throw new Error("usage: openapi-documents.ts <output directory>");
mkdirSync(dir, { recursive: true });
// The documents need no data: an in-memory embedded database, no Redis.
const services = await buildServices(
  parseEnv({ APF_DATA_DIR: "memory://" }),
  pino({ level: "silent" }),
);
try {
  const app = createApp(services);
  for (const [file, path] of Object.entries(DOCUMENTS)) {
    const res = await app.request(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    writeFileSync(join(dir, file), JSON.stringify(await res.json(), null, 2));
    console.log(`${path} → ${join(dir, file)}`);
  }
} finally {
  await services.close();
}
