import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFolderStore } from "./folder.ts";
import { createS3Store, type S3Location } from "./s3.ts";
import type { FileStore } from "./store.ts";

export type { FileStore, StoredObject } from "./store.ts";
export { assertStoreKey } from "./store.ts";

/** Where APF_FILE_STORE puts files: a folder, or an S3-compatible bucket. */
export type FileStoreLocation = { kind: "folder"; path: string } | ({ kind: "s3" } & S3Location);

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads APF_FILE_STORE: unset → `<data dir>/files`; `file:///abs/path`;
 * `s3://bucket/prefix?endpoint=https://…&region=…`. Throws a sentence saying what is wrong.
 */
export function parseFileStoreLocation(
  value: string | undefined,
  dataDir: string,
): FileStoreLocation {
  if (value === undefined) return { kind: "folder", path: join(dataDir, "files") };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("a file:///absolute/path or s3://bucket/prefix URL");
  }
  if (url.protocol === "file:") {
    if (url.host !== "" || url.search !== "") {
      throw new Error("a file:///absolute/path URL (three slashes, no host, no query)");
    }
    return { kind: "folder", path: fileURLToPath(url) };
  }
  if (url.protocol !== "s3:") throw new Error("a file:// or s3:// URL");
  if (url.username || url.password) {
    throw new Error("an s3:// URL without credentials (they come from the AWS_* variables)");
  }
  const bucket = url.hostname;
  if (!BUCKET.test(bucket)) throw new Error("an s3:// URL whose bucket name is 3–63 characters");
  const prefixPath = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "");
  const endpoint = url.searchParams.get("endpoint") ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint)) {
    throw new Error("an s3:// URL whose endpoint= is an http(s) URL");
  }
  for (const name of url.searchParams.keys()) {
    if (name !== "endpoint" && name !== "region") {
      throw new Error(`an s3:// URL with only endpoint= and region= (not ${name}=)`);
    }
  }
  return {
    kind: "s3",
    bucket,
    prefix: prefixPath ? `${prefixPath}/` : "",
    endpoint,
    region: url.searchParams.get("region") ?? (endpoint ? "us-east-1" : undefined),
  };
}

/** Builds the store a location names. */
export function createFileStore(location: FileStoreLocation): FileStore {
  return location.kind === "folder" ? createFolderStore(location.path) : createS3Store(location);
}
