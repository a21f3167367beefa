import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFileStore,
  type FileStore,
  parseFileStoreLocation,
} from "../../src/platform/file-store/index.ts";
import { startS3rver } from "../support/s3rver.ts";

let folder: string;
let s3: Awaited<ReturnType<typeof startS3rver>>;
const stores: Record<string, FileStore> = {};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "apf-store-"));
  s3 = await startS3rver();
  stores.folder = createFileStore(parseFileStoreLocation(`file://${folder}`, "/unused"));
  stores.s3 = createFileStore(parseFileStoreLocation(s3.url("tenants"), "/unused"));
});
afterAll(async () => {
  for (const store of Object.values(stores)) await store.close();
  await s3.close();
  await rm(folder, { recursive: true, force: true });
});

/** A stream of `count` chunks of `size` random bytes, and the SHA-256 of all of them. */
function randomStream(count: number, size: number) {
  const chunks = Array.from({ length: count }, () => randomBytes(size));
  const hash = createHash("sha256");
  for (const c of chunks) hash.update(c);
  return { stream: Readable.from(chunks), sha256: hash.digest("hex"), size: count * size };
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function failingStream(afterBytes: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(randomBytes(afterBytes));
      } else this.destroy(new Error("client went away"));
    },
  });
}

describe.each(["folder", "s3"])("the %s file store", (kind) => {
  const store = () => stores[kind]!;
  const key = () => `org-${randomBytes(4).toString("hex")}/file.gcode`;

  it("stores a stream and gives the same bytes back, with their size", async () => {
    const k = key();
    const { stream, sha256, size } = randomStream(40, 64 * 1024);
    await store().put(k, stream, { contentType: "text/x.gcode" });
    expect(await store().head(k)).toEqual({ sizeBytes: size });
    const got = await store().get(k);
    expect(got?.sizeBytes).toBe(size);
    expect(await sha256Of(got!.body)).toBe(sha256);
  });

  it("stores a body of several multipart parts", async () => {
    const k = key();
    const { stream, sha256, size } = randomStream(20, 1024 * 1024);
    await store().put(k, stream);
    const got = await store().get(k);
    expect(got?.sizeBytes).toBe(size);
    expect(await sha256Of(got!.body)).toBe(sha256);
  });

  it("replaces an object put again under the same key", async () => {
    const k = key();
    await store().put(k, Readable.from([Buffer.from("first version")]));
    await store().put(k, Readable.from([Buffer.from("second")]));
    const got = await store().get(k);
    expect(await text(got!.body)).toBe("second");
  });

  it("answers null for a key that holds nothing", async () => {
    expect(await store().get(key())).toBeNull();
    expect(await store().head(key())).toBeNull();
  });

  it("deletes an object, and deleting it again is no error", async () => {
    const k = key();
    await store().put(k, Readable.from([Buffer.from("bytes")]));
    await store().delete(k);
    expect(await store().head(k)).toBeNull();
    await expect(store().delete(k)).resolves.toBeUndefined();
  });

  it("stores nothing when the body fails midway", async () => {
    const k = key();
    await expect(store().put(k, failingStream(100_000))).rejects.toThrow();
    expect(await store().head(k)).toBeNull();
  });

  it("refuses keys that could leave its folder or prefix", async () => {
    for (const bad of ["../x.gcode", "a/../../x", "/abs/x", "a//b", "", "a/b/c/d"]) {
      await expect(store().head(bad)).rejects.toThrow(/not a valid file-store key/);
    }
  });
});

it("leaves no temporary file in the folder after a failed put", async () => {
  const k = "leftover-check/file.gcode";
  await expect(stores.folder!.put(k, failingStream(10_000))).rejects.toThrow();
  expect(await readdir(join(folder, "leftover-check"))).toEqual([]);
});

describe("APF_FILE_STORE", () => {
  it("defaults to files/ under the data directory", () => {
    expect(parseFileStoreLocation(undefined, "/var/lib/apf")).toEqual({
      kind: "folder",
      path: "/var/lib/apf/files",
    });
  });

  it("reads file:// and s3:// URLs", () => {
    expect(parseFileStoreLocation("file:///srv/apf-files", "/d")).toEqual({
      kind: "folder",
      path: "/srv/apf-files",
    });
    expect(
      parseFileStoreLocation("s3://farm-files/apf/prod?endpoint=http://minio:9000&region=eu", "/d"),
    ).toEqual({
      kind: "s3",
      bucket: "farm-files",
      prefix: "apf/prod/",
      endpoint: "http://minio:9000",
      region: "eu",
    });
    expect(parseFileStoreLocation("s3://farm-files", "/d")).toMatchObject({
      prefix: "",
      endpoint: undefined,
      region: undefined,
    });
  });

  it.each([
    ["ftp://host/x", /file:\/\/ or s3:\/\//],
    ["file://host/x", /three slashes/],
    ["s3://ab/x", /bucket name/],
    ["s3://bucket/x?endpoint=minio:9000", /endpoint/],
    ["s3://bucket/x?secret=1", /not secret=/],
    ["not a url", /file:\/\/\/absolute\/path/],
  ])("refuses %s", (value, message) => {
    expect(() => parseFileStoreLocation(value, "/d")).toThrow(message);
  });
});
