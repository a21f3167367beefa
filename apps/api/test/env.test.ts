import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../src/env.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("parseEnv", () => {
  it("gives the documented defaults with nothing set", () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 8080,
      HOST: "127.0.0.1",
      APF_DATA_DIR: "./.apf",
      LOG_LEVEL: "info",
      APF_SIGNUP: "open",
      TRUST_PROXY: "none",
    });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["APF_SIGNUP", "maybe"],
    ["TRUST_PROXY", "yes"],
    ["DATABASE_URL", "mysql://x"],
    ["REDIS_URL", "http://x"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`^invalid ${name}=`));
  });

  it("never prints a URL's value (it may hold a password)", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://u:hunter2@x" })).toThrow(/value hidden/);
    try {
      parseEnv({ DATABASE_URL: "mysql://u:hunter2@x" });
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });
});

describe("server start-up", () => {
  it("exits non-zero at once with one line naming PORT when PORT=abc", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "abc" },
      encoding: "utf8",
      // Loading the sources through tsx can take a while on a loaded machine; "at once" is about
      // not listening first, which the single stderr line and exit status show.
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
  }, 90_000);
});
