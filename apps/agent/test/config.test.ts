import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { looksLikeInlineKey } from "../src/machine-config.ts";
import { AGENT_TOKEN, tempDir } from "./helpers/temp-dir.ts";

const KEY_A = "ABCDEF0123456789ABCDEF0123456789";
const KEY_B = "kX9_-zzQ2mN4pL7vR1tY8wE3uI6oA5sD0fG";

function validConfig(machines: unknown[] = [machine()]) {
  return { api_url: "https://farm.example.com/", agent_token_file: "agent-token.txt", machines };
}

function machine(extra: Record<string, unknown> = {}) {
  return {
    type: "OCTOPRINT",
    url: "http://192.168.1.41:5000",
    authentication_file_path: "secret.txt",
    ...extra,
  };
}

async function setup(config: unknown, files: Record<string, string> = {}) {
  const dir = await tempDir({
    "agent-token.txt": `${AGENT_TOKEN}\n`,
    "secret.txt": `${KEY_A}\n`,
    ...files,
  });
  const path = join(dir, "agent.json");
  await writeFile(path, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return { dir, path };
}

async function errorOf(
  config: unknown,
  files: Record<string, string> = {},
): Promise<{ message: string; dir: string; path: string }> {
  const { dir, path } = await setup(config, files);
  const error = await loadConfig(path).then(
    () => {
      throw new Error("expected a ConfigError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  expect(message.startsWith(`${path}: `)).toBe(true);
  for (const secret of [KEY_A, KEY_B, AGENT_TOKEN]) expect(message).not.toContain(secret);
  return { message: message.slice(path.length + 2), dir, path };
}

describe("loadConfig", () => {
  it("reads the documented example, with defaults and the secret files loaded", async () => {
    const { path } = await setup({
      ...validConfig([machine({ custom_name: "my_octoprint_machine", mes_id: [1] })]),
      poll_interval_s: 5,
      unknown_top_level: true,
    });
    const config = await loadConfig(path);
    expect(config.apiUrl).toBe("https://farm.example.com");
    expect(config.agentToken.get()).toBe(AGENT_TOKEN);
    expect(config.pollIntervalS).toBe(5);
    expect(config.requestTimeoutS).toBe(5);
    expect(config.warnings).toEqual([]);
    expect(config.machines).toHaveLength(1);
    const [m] = config.machines;
    expect(m).toMatchObject({
      id: "my_octoprint_machine",
      name: "my_octoprint_machine",
      type: "OCTOPRINT",
      url: "http://192.168.1.41:5000",
    });
    expect(m?.apiKey.get()).toBe(KEY_A);
    expect(m?.apiKey.file).toMatch(/secret\.txt$/);
  });

  it("loads the shipped agent.example.json once its secret files exist", async () => {
    const dir = await tempDir({ "agent-token.txt": AGENT_TOKEN, "secret.txt": KEY_A });
    await mkdir(join(dir, "keys"));
    await writeFile(join(dir, "keys", "octopi-2.txt"), KEY_B);
    await copyFile(new URL("../agent.example.json", import.meta.url), join(dir, "agent.json"));
    const config = await loadConfig(join(dir, "agent.json"));
    expect(config.machines.map((m) => [m.id, m.apiKey.get()])).toEqual([
      ["my_octoprint_machine", KEY_A],
      ["http://octopi-2.local", KEY_B],
    ]);
  });

  it("uses the normalised url as identity when there is no custom_name", async () => {
    const { path } = await setup(validConfig([machine({ url: "HTTP://OctoPi.Local:80/" })]));
    const config = await loadConfig(path);
    expect(config.machines[0]?.id).toBe("http://octopi.local");
    expect(config.machines[0]?.url).toBe("http://octopi.local");
  });

  it("takes authentication_file_path as the key itself when no such file exists and it looks like a key", async () => {
    const { path } = await setup(validConfig([machine({ authentication_file_path: KEY_B })]));
    const config = await loadConfig(path);
    expect(config.machines[0]?.apiKey.get()).toBe(KEY_B);
    expect(config.machines[0]?.apiKey.file).toBeUndefined();
  });

  it("accepts the older api_key field", async () => {
    const { authentication_file_path: _, ...entry } = machine({ api_key: KEY_B });
    const { path } = await setup(validConfig([entry]));
    expect((await loadConfig(path)).machines[0]?.apiKey.get()).toBe(KEY_B);
  });

  it("accepts an inline agent_token and warns when it does not look like an agent token", async () => {
    const { path } = await setup({
      api_url: "http://localhost:3000",
      agent_token: "not-an-agent-token",
      machines: [machine()],
    });
    const config = await loadConfig(path);
    expect(config.agentToken.get()).toBe("not-an-agent-token");
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).not.toContain("not-an-agent-token");
  });

  it("re-reads a secret file on reload and keeps the old value when the file breaks", async () => {
    const { dir, path } = await setup(validConfig());
    const key = (await loadConfig(path)).machines[0]?.apiKey;
    expect(await key?.reload()).toEqual({ changed: false });
    await writeFile(join(dir, "secret.txt"), KEY_B);
    expect(await key?.reload()).toEqual({ changed: true });
    expect(key?.get()).toBe(KEY_B);
    await writeFile(join(dir, "secret.txt"), "");
    const broken = await key?.reload();
    expect(broken?.changed).toBe(false);
    expect(broken?.error).toMatch(/secret\.txt is empty/);
    expect(key?.get()).toBe(KEY_B);
  });

  it("names the file for bad JSON, with line and column", async () => {
    const { message } = await errorOf('{\n  "api_url": "http://x",\n  "machines": [,]\n}');
    expect(message).toMatch(/^invalid JSON: .* at line 3 column \d+$/);
  });

  it("names the missing top-level field", async () => {
    const { api_url: _, ...rest } = validConfig();
    expect((await errorOf(rest)).message).toBe("api_url: is required");
  });

  it("reads the file cache settings, the folder relative to the config file", async () => {
    const { dir, path } = await setup({
      ...validConfig(),
      file_cache_dir: "cache",
      file_cache_mb: 200,
    });
    expect((await loadConfig(path)).fileCache).toEqual({
      dir: join(dir, "cache"),
      maxBytes: 200 * 1024 * 1024,
    });
    const { path: plain } = await setup(validConfig());
    expect((await loadConfig(plain)).fileCache).toBeUndefined();
  });

  it("rejects a file cache size that is not a whole number of MiB", async () => {
    expect((await errorOf({ ...validConfig(), file_cache_mb: 0 })).message).toBe(
      "file_cache_mb: must be at least 1",
    );
    expect((await errorOf({ ...validConfig(), file_cache_mb: "lots" })).message).toBe(
      "file_cache_mb: must be a number",
    );
  });

  it("rejects a poll interval under 1 s", async () => {
    expect((await errorOf({ ...validConfig(), poll_interval_s: 0.5 })).message).toBe(
      "poll_interval_s: must be at least 1",
    );
  });

  it("names an unreadable agent token file with its absolute path", async () => {
    const { message, dir } = await errorOf({
      ...validConfig(),
      agent_token_file: "missing-token.txt",
    });
    expect(message).toBe(
      `agent_token_file: cannot read ${join(dir, "missing-token.txt")} (ENOENT)`,
    );
  });

  it("requires an agent token", async () => {
    const { agent_token_file: _, ...rest } = validConfig();
    expect((await errorOf(rest)).message).toBe("agent_token_file: is required (or agent_token)");
  });

  it("names the entry and the field of an unknown machine type", async () => {
    const machines = [
      machine({ custom_name: "a" }),
      machine({ type: "KLIPPER", custom_name: "printer-b" }),
    ];
    expect((await errorOf(validConfig(machines))).message).toBe(
      'machines[1] ("printer-b"): type: "KLIPPER" is not supported (only "OCTOPRINT")',
    );
  });

  it("names the entry of a machine without url", async () => {
    const { url: _, ...entry } = machine({ custom_name: "printer-c" });
    const machines = [machine({ custom_name: "a" }), machine({ custom_name: "b" }), entry];
    expect((await errorOf(validConfig(machines))).message).toBe(
      'machines[2] ("printer-c"): url: is required',
    );
  });

  it("rejects a url that is not http(s), naming the entry by its url", async () => {
    const { message } = await errorOf(validConfig([machine({ url: "ftp://octopi.local" })]));
    expect(message).toBe(
      "machines[0] (ftp://octopi.local): url: must be an http:// or https:// URL",
    );
  });

  it("names an unreadable secret file with its absolute path", async () => {
    const machines = [
      machine({ custom_name: "a" }),
      machine({ custom_name: "printer-b", authentication_file_path: "missing.txt" }),
    ];
    const { message, dir } = await errorOf(validConfig(machines));
    expect(message).toBe(
      `machines[1] ("printer-b"): authentication_file_path: cannot read ${join(dir, "missing.txt")} (ENOENT)`,
    );
  });

  it("refuses an empty secret file without echoing anything", async () => {
    const { message } = await errorOf(validConfig(), { "secret.txt": "  \n" });
    expect(message).toMatch(
      /^machines\[0\] \(http:\/\/192\.168\.1\.41:5000\): authentication_file_path: .*secret\.txt is empty$/,
    );
  });

  it("requires a key source", async () => {
    const { authentication_file_path: _, ...entry } = machine();
    expect((await errorOf(validConfig([entry]))).message).toBe(
      "machines[0] (http://192.168.1.41:5000): authentication_file_path: is required (or api_key)",
    );
  });

  it("rejects two machines with the same identity", async () => {
    const machines = [machine({ url: "http://a:5000" }), machine({ url: "http://A:5000/" })];
    expect((await errorOf(validConfig(machines))).message).toBe(
      'machines[1] (http://A:5000/): url: machine identity "http://a:5000" is already used by machines[0] (http://a:5000)',
    );
  });

  it("never puts an inline key into messages, even when the entry is broken", async () => {
    const { message } = await errorOf(
      validConfig([{ type: "OCTOPRINT", url: 42, api_key: KEY_B }]),
    );
    expect(message).toBe("machines[0]: url: must be a string");
  });
});

describe("looksLikeInlineKey", () => {
  it("tells keys from file names", () => {
    expect(looksLikeInlineKey(KEY_A)).toBe(true);
    expect(looksLikeInlineKey(KEY_B)).toBe(true);
    expect(looksLikeInlineKey("secret.txt")).toBe(false);
    expect(looksLikeInlineKey("keys/printer-a")).toBe(false);
    expect(looksLikeInlineKey(".octoprint-key")).toBe(false);
    expect(looksLikeInlineKey("has space")).toBe(false);
  });
});
