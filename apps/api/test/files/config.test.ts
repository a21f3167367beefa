import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.ts";
import { resolveUploadSecret } from "../../src/platform/file-store/upload-secret.ts";
import { createLogger } from "../../src/platform/logger.ts";
import { LogCapture } from "../support/services.ts";

const dir = mkdtempSync(join(tmpdir(), "apf-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the file settings", () => {
  it("default to 100 MB and no file store URL", () => {
    const env = parseEnv({});
    expect(env.APF_MAX_FILE_MB).toBe(100);
    expect(env.APF_FILE_STORE).toBeUndefined();
  });

  it("name the variable and hide values that may hold secrets", () => {
    expect(() => parseEnv({ APF_MAX_FILE_MB: "0" })).toThrow(
      'invalid APF_MAX_FILE_MB="0": expected a whole number of megabytes from 1 to 10240',
    );
    expect(() => parseEnv({ APF_FILE_STORE: "s3://key:hunter2@bucket" })).toThrow(
      "invalid APF_FILE_STORE=(value hidden): expected an s3:// URL without credentials",
    );
    expect(() => parseEnv({ APF_UPLOAD_SECRET: "short" })).toThrow(
      "invalid APF_UPLOAD_SECRET=(value hidden): expected a secret of at least 32 characters",
    );
  });
});

describe("the upload secret", () => {
  it("is APF_UPLOAD_SECRET when set", () => {
    const secret = "s".repeat(40);
    const env = parseEnv({ APF_UPLOAD_SECRET: secret, APF_DATA_DIR: dir });
    expect(resolveUploadSecret(env, createLogger("silent")).toString()).toBe(secret);
  });

  it("is generated once on the embedded database, kept with mode 0600, and never logged", () => {
    const logs = new LogCapture();
    const env = parseEnv({ APF_DATA_DIR: dir });
    const first = resolveUploadSecret(env, createLogger("debug", logs));
    const second = resolveUploadSecret(env, createLogger("debug", logs));
    expect(first.equals(second)).toBe(true);
    const file = join(dir, "upload-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first.toString());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logs.text).not.toContain(first.toString());
  });

  it("is a key of the process, written nowhere, on an in-memory embedded database", () => {
    // Were it kept in a folder named "memory:", the second call would read the first one's key.
    const env = parseEnv({ APF_DATA_DIR: "memory://" });
    const a = resolveUploadSecret(env, createLogger("silent"));
    const b = resolveUploadSecret(env, createLogger("silent"));
    expect(a.equals(b)).toBe(false);
  });

  it("is a key of the process, with a warning, on Postgres without APF_UPLOAD_SECRET", () => {
    const logs = new LogCapture();
    const other = mkdtempSync(join(tmpdir(), "apf-secret-pg-"));
    const env = parseEnv({ DATABASE_URL: "postgres://x/y", APF_DATA_DIR: other });
    const a = resolveUploadSecret(env, createLogger("debug", logs));
    const b = resolveUploadSecret(env, createLogger("debug", logs));
    expect(a.equals(b)).toBe(false);
    expect(logs.text).toContain("APF_UPLOAD_SECRET is not set");
    rmSync(other, { recursive: true, force: true });
  });
});
