import type { Readable } from "node:stream";

/** What a store knows of one object. */
export interface StoredObject {
  sizeBytes: number;
}

/**
 * Where print files and their thumbnails live: a folder or an S3-compatible bucket
 * (APF_FILE_STORE). Bytes only ever pass through as streams, never whole in memory. Keys are
 * relative paths of safe segments (`<organization id>/<file id>.gcode`); see `assertStoreKey`.
 */
export interface FileStore {
  /** `folder` or `s3`, and a description without credentials, for the start-up log. */
  readonly kind: "folder" | "s3";
  readonly description: string;
  /**
   * Writes `body` under `key`, replacing what was there. The object appears only when the whole
   * stream arrived: if `body` fails (a client that hung up, a byte limit), nothing is stored.
   */
  put(key: string, body: Readable, options?: { contentType?: string }): Promise<void>;
  /** The object's bytes as a stream, or null when there is no such object. */
  get(key: string): Promise<(StoredObject & { body: Readable }) | null>;
  /** The object's size, or null when there is no such object. */
  head(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing one that is not there is no error. */
  delete(key: string): Promise<void>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Throws unless `key` is one to three safe segments: no `..`, no absolute path, no odd bytes. */
export function assertStoreKey(key: string): void {
  const segments = key.split("/");
  if (segments.length > 3 || !segments.every((s) => SEGMENT.test(s) && !s.includes(".."))) {
    throw new Error(`not a valid file-store key: ${JSON.stringify(key)}`);
  }
}
