import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertStoreKey, type FileStore } from "./store.ts";

function missing(error: unknown): boolean {
  return (error as { code?: unknown }).code === "ENOENT";
}

/**
 * A store in a local folder (the embedded default, or `file:///abs/path`). A put writes a
 * temporary file beside the target and renames it into place, so a reader never sees half a file
 * and a failed upload leaves nothing behind.
 */
export function createFolderStore(root: string): FileStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    assertStoreKey(key);
    return join(base, ...key.split("/"));
  };
  return {
    kind: "folder",
    description: `folder ${base}`,
    async put(key, body: Readable) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      const temporary = `${target}.${randomBytes(6).toString("hex")}.partial`;
      try {
        await pipeline(body, createWriteStream(temporary, { mode: 0o600 }));
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const { size } = await stat(path);
        return { sizeBytes: size, body: createReadStream(path) };
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async head(key) {
      try {
        const { size } = await stat(pathOf(key));
        return { sizeBytes: size };
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async close() {},
  };
}
