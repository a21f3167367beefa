import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envSchema } from "../src/env.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, "utf8"));
const dockerfile = readFileSync(`${root}Dockerfile`, "utf8");

describe("docker-compose.yml", () => {
  const api = compose.services.api;

  it("sets only variables the config module knows, with values it accepts", () => {
    const known = Object.keys(envSchema.shape);
    const environment = api.environment as Record<string, string>;
    expect(Object.keys(environment).length).toBeGreaterThan(0);
    for (const name of Object.keys(environment)) expect(known).toContain(name);
    expect(envSchema.safeParse(environment).success).toBe(true);
  });

  it("points the api at the compose postgres and redis", () => {
    expect(api.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(api.environment.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
  });

  it("starts the api only once postgres and redis are healthy", () => {
    expect(api.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
    });
    expect(compose.services.postgres.healthcheck.test).toBeDefined();
    expect(compose.services.redis.healthcheck.test).toBeDefined();
  });

  it("builds the api from the Dockerfile", () => {
    expect(api.build).toBe(".");
  });
});

describe("Dockerfile", () => {
  it("is multi-stage, runs as a non-root user and checks /readyz", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER (?!root)\w+/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK[\s\S]*\/readyz/m);
  });

  it("runs on Node 24 LTS in both stages", () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases).toEqual(["node:24-bookworm-slim", "node:24-bookworm-slim"]);
  });

  it("gives npm ci every workspace's package.json", () => {
    const workspaces = ["apps", "packages"].flatMap((dir) =>
      readdirSync(`${root}${dir}`).map((name) => `${dir}/${name}/package.json`),
    );
    for (const manifest of workspaces) {
      expect(dockerfile).toContain(`COPY ${manifest} `);
    }
  });

  it("builds the bundle and runs it as `npm start` does, node flags included", () => {
    const start = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts.start as string;
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd.join(" ")).toBe(start.replace(/^exec /, ""));
    expect(dockerfile).toMatch(/^RUN node scripts\/build-api\.mjs/m);
  });
});
