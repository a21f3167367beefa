import { randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";

/** Where the agent keeps downloaded print files, and how much of them. */
export interface FileCacheSettings {
  dir: string;
  maxBytes: number;
}

/** 1 GiB: a few hundred typical G-code files, small next to a Raspberry Pi's SD card. */
export const DEFAULT_FILE_CACHE_MAX_BYTES = 1024 * 1024 * 1024;

const CACHED = /^([0-9a-f]{64})\.gcode$/;
const PARTIAL_PREFIX = ".partial-";

/**
 * Downloaded print files on disk, keyed by SHA-256, bounded in bytes with least-recently-used
 * eviction (lru-cache keeps the order and the sizes; evicting a key deletes its file). A repeat
 * print of the same file opens it here instead of downloading it again.
 */
export class FileCache {
  private readonly lru: LRUCache<string, number>;

  private constructor(
    readonly dir: string,
    maxBytes: number,
    private readonly logger: Logger,
  ) {
    this.lru = new LRUCache<string, number>({
      maxSize: maxBytes,
      sizeCalculation: (size) => Math.max(1, size),
      dispose: (_size, sha, reason) => {
        // "set" replaces a file by one of the same name: the new file is already in place.
        if (reason === "set") return;
        void unlink(this.pathOf(sha)).catch(() => undefined);
      },
    });
  }

  /** Opens (creating) the folder, forgets unfinished downloads and re-indexes cached files. */
  static async open(settings: FileCacheSettings, logger: Logger): Promise<FileCache> {
    const cache = new FileCache(settings.dir, settings.maxBytes, logger);
    await mkdir(settings.dir, { recursive: true, mode: 0o700 });
    const found: Array<{ sha: string; size: number; used: number }> = [];
    for (const name of await readdir(settings.dir)) {
      const path = join(settings.dir, name);
      if (name.startsWith(PARTIAL_PREFIX)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      const sha = CACHED.exec(name)?.[1];
      if (!sha) continue;
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) found.push({ sha, size: info.size, used: info.atimeMs });
    }
    // Oldest first, so the most recently used end up the last to be evicted.
    for (const file of found.sort((a, b) => a.used - b.used)) cache.lru.set(file.sha, file.size);
    return cache;
  }

  private pathOf(sha: string): string {
    return join(this.dir, `${sha}.gcode`);
  }

  /** The cached file of `sha`, opened for reading (and marked recently used), or null. */
  async openCached(sha: string, size: number): Promise<FileHandle | null> {
    if (this.lru.get(sha) !== size) return null;
    try {
      return await open(this.pathOf(sha), "r");
    } catch {
      // Deleted behind our back (or evicted just now): fetch it again.
      this.lru.delete(sha);
      return null;
    }
  }

  /** A fresh path in the cache folder for a download in progress (same disk: rename is atomic). */
  partialPath(): string {
    return join(this.dir, `${PARTIAL_PREFIX}${randomUUID()}`);
  }

  /**
   * Moves a verified download into the cache and opens it. A file larger than the whole cache
   * is not kept: `cached` is false and the caller deletes it after use with {@link discard}.
   */
  async adopt(
    partial: string,
    sha: string,
    size: number,
  ): Promise<{ handle: FileHandle; path: string; cached: boolean }> {
    const path = this.pathOf(sha);
    await rename(partial, path);
    const handle = await open(path, "r");
    this.lru.set(sha, size);
    const cached = this.lru.has(sha);
    if (!cached)
      this.logger.warn(
        { sha256: sha, size_bytes: size },
        "print file larger than the file cache; not kept",
      );
    return { handle, path, cached };
  }

  /** Deletes a file that was not kept (or a failed download). */
  async discard(path: string): Promise<void> {
    await unlink(path).catch(() => undefined);
  }

  /** Bytes the cached files take. */
  get sizeBytes(): number {
    return this.lru.calculatedSize;
  }

  has(sha: string): boolean {
    return this.lru.has(sha);
  }
}
