#!/usr/bin/env node
// The project's one test command: lint, type-check, then vitest against real Postgres and Redis.
// Uses DATABASE_URL / REDIS_URL or the local defaults; falls back to PGlite and the in-process
// limiter when neither answers (and says so), except under CI=true where both are required.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const ci = process.env.CI === "true" || process.env.CI === "1";

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({
      host: hostname.replace(/^\[|\]$/g, ""),
      port: Number(port || defaultPort),
    });
    socket.setTimeout(1500);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

const [pgUp, redisUp] = await Promise.all([
  reachable(databaseUrl, 5432),
  reachable(redisUrl, 6379),
]);
const env = { ...process.env, APF_TEST_RUN: randomBytes(4).toString("hex") };
delete env.DATABASE_URL;
delete env.REDIS_URL;

if (pgUp) env.APF_TEST_DATABASE_URL = databaseUrl;
if (redisUp) env.APF_TEST_REDIS_URL = redisUrl;
if (ci && (!pgUp || !redisUp)) {
  console.error(
    `CI=true needs real services: Postgres ${pgUp ? "up" : `DOWN at ${new URL(databaseUrl).host}`}, Redis ${redisUp ? "up" : `DOWN at ${new URL(redisUrl).host}`}`,
  );
  process.exit(1);
}
console.log(
  `tests on: ${pgUp ? `Postgres at ${new URL(databaseUrl).host}` : "embedded PGlite (Postgres not reachable)"}; ${redisUp ? `Redis at ${new URL(redisUrl).host}` : "in-process limiter (Redis not reachable)"}`,
);

function run(command, args, { exitOnFailure = true } = {}) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (exitOnFailure && result.status !== 0) process.exit(result.status ?? 1);
  return result.status ?? 1;
}

const extra = process.argv.slice(2);
if (extra.length === 0) {
  run("npx", ["biome", "check", "."]);
  run("npx", ["tsc", "-p", "tsconfig.json"]);
  // The three OpenAPI documents, as the app serves them, must pass Redocly's recommended rules.
  const documents = join(tmpdir(), `apf-openapi-${env.APF_TEST_RUN}`);
  run("node", ["--import", "tsx", "scripts/openapi-documents.ts", documents]);
  env.REDOCLY_TELEMETRY = "off";
  env.REDOCLY_SUPPRESS_UPDATE_NOTICE = "true";
  run("npx", [
    "redocly",
    "lint",
    "--format=stylish",
    ...["public.json", "dashboard.json", "agent.json"].map((f) => join(documents, f)),
  ]);
  rmSync(documents, { recursive: true, force: true });
}
// A JSON report besides the usual one, for a plain closing line that any CI can read.
const report = join(tmpdir(), `apf-vitest-${env.APF_TEST_RUN}.json`);
const status = run(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...extra,
  ],
  { exitOnFailure: false },
);
try {
  const counts = JSON.parse(readFileSync(report, "utf8"));
  const skipped = counts.numPendingTests + counts.numTodoTests;
  console.log(
    `\nvitest: ${counts.numPassedTests} passed, ${counts.numFailedTests} failed, ${skipped} skipped`,
  );
  rmSync(report, { force: true });
} catch {
  console.log("\nvitest: no report was written");
}
process.exit(status);
