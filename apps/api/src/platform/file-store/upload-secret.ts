import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isInMemoryDataDir } from "@apf/db";
import type { Logger } from "pino";
import type { Env } from "../../env.ts";

const FILE_NAME = "upload-secret";

/**
 * The key that signs upload tokens and agents' download links: APF_UPLOAD_SECRET; on the embedded
 * database one generated on the first start and kept in the data directory (mode 0600), as the
 * demo keeps its credentials; with DATABASE_URL but no APF_UPLOAD_SECRET, a key of this process
 * only (and a warning). The secret itself is never logged.
 */
export function resolveUploadSecret(env: Env, logger: Logger): Buffer {
  if (env.APF_UPLOAD_SECRET) return Buffer.from(env.APF_UPLOAD_SECRET, "utf8");
  // An in-memory database lives as long as this process, and so may its key.
  if (!env.DATABASE_URL && isInMemoryDataDir(env.APF_DATA_DIR)) return randomBytes(32);
  const file = join(env.APF_DATA_DIR, FILE_NAME);
  if (env.DATABASE_URL) {
    logger.warn(
      "APF_UPLOAD_SECRET is not set: upload tokens and download links are signed with a key of this process, valid here until it restarts; set APF_UPLOAD_SECRET (the same on every instance)",
    );
    return randomBytes(32);
  }
  if (existsSync(file)) {
    const saved = readFileSync(file, "utf8").trim();
    if (saved.length >= 32) return Buffer.from(saved, "utf8");
  }
  mkdirSync(env.APF_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return Buffer.from(secret, "utf8");
}
