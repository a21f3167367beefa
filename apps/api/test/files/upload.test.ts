import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileUploads, jobs, printFiles } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import {
  answer,
  call,
  dataOf,
  failure,
  publicTestServices,
  type TestApp,
  tenant,
} from "../public/helpers.ts";
import { createApiKey } from "../support/factories.ts";
import { createJob, createSku } from "../support/public-factories.ts";
import type { TestClock, TestServices } from "../support/services.ts";
import { CURA_GCODE, countingStream, PRUSA_GCODE, put, uploadFile, uploadUrl } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
let a: Awaited<ReturnType<typeof tenant>>;
let b: Awaited<ReturnType<typeof tenant>>;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  services = await publicTestServices({ env: { APF_MAX_FILE_MB: "1" } });
  app = createApp(services);
  a = await tenant(services.db, "Farm A");
  b = await tenant(services.db, "Farm B");
});
afterAll(() => services.close());

/** Every object the folder store holds, as relative paths. */
async function storedObjects(): Promise<string[]> {
  const entries = await readdir(join(services.fileDir!, "files"), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe("the three-step upload", () => {
  it("hands out an upload URL, takes the bytes, and records a print file with its slicer metadata", async () => {
    const step1 = await call(app, "/public/v1/files/upload-url", {
      key: a.key,
      json: { filename: "benchy.gcode", content_type: "text/x.gcode" },
    });
    expect(step1.status).toBe(201);
    const upload = await dataOf(step1, "createFileUploadUrl");
    expect(upload).toEqual({
      file_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      filename: "benchy.gcode",
      upload_token: expect.any(String),
      upload_url: `/public/v1/files/upload/${upload.upload_token}`,
      storage_key: `${a.organization.id}/${upload.file_id}.gcode`,
      content_type: "text/x.gcode",
      expires_in: 3600,
    });

    const step2 = await put(app, upload.upload_url, a.key, PRUSA_GCODE);
    expect(step2.status).toBe(200);
    expect(await dataOf(step2, "uploadFile")).toEqual({
      size_bytes: PRUSA_GCODE.length,
      sha256: sha256(PRUSA_GCODE),
    });

    const step3 = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "Benchy", storage_key: upload.storage_key, number_of_units: 2 },
    });
    expect(step3.status).toBe(201);
    const file = await dataOf(step3, "createPrintFile");
    expect(file).toEqual({
      id: upload.file_id,
      name: "Benchy",
      product_id: null,
      file_size_bytes: PRUSA_GCODE.length,
      sha256: sha256(PRUSA_GCODE),
      number_of_units: 2,
      print_time_seconds: 3723,
      filament_weight_grams: 7,
      filament_length_meters: 2.3457,
      filament_type: "PETG",
      printer_model_id: "MK4S",
      nozzle_diameter: 0.4,
      layer_count: null,
      layer_height_mm: 0.15,
      slicer: "PrusaSlicer 2.7.1+linux-x64-GTK3",
      has_thumbnail: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(file)).not.toContain(upload.storage_key);

    const got = await call(app, `/public/v1/files/${file.id}`, { key: a.key });
    expect(await dataOf(got, "getPrintFile")).toEqual(file);
    const thumbnail = await call(app, `/public/v1/files/${file.id}/thumbnail`, { key: a.key });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await thumbnail.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(thumbnail.headers.get("content-length")).toBe(String(png.length));
  });

  it("overwrites the bytes when the same token uploads again within the hour", async () => {
    const upload = await uploadUrl(app, a.key);
    expect((await put(app, upload.upload_url, a.key, PRUSA_GCODE)).status).toBe(200);
    const again = await put(app, upload.upload_url, a.key, CURA_GCODE);
    expect((await dataOf(again, "uploadFile")).sha256).toBe(sha256(CURA_GCODE));
    const res = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "Overwritten", storage_key: upload.storage_key },
    });
    const file = await dataOf(res, "createPrintFile");
    expect(file).toMatchObject({ sha256: sha256(CURA_GCODE), slicer: "Cura 5.4.0" });
    expect(file.has_thumbnail).toBe(false);
    const stored = await services.fileStore.get(upload.storage_key);
    expect(stored?.sizeBytes).toBe(CURA_GCODE.length);
  });

  it("takes a chunked body without a Content-Length", async () => {
    const upload = await uploadUrl(app, a.key);
    const { stream } = countingStream(200 * 1024);
    const res = await put(app, upload.upload_url, a.key, stream, {
      "Transfer-Encoding": "chunked",
    });
    expect(res.status).toBe(200);
    // Whole 64 KiB chunks until 200 KiB were sent: four of them.
    expect((await dataOf(res, "uploadFile")).size_bytes).toBe(4 * 64 * 1024);
  });
});

describe("POST /files/upload-url", () => {
  it("answers 415 UNSUPPORTED_FILE_TYPE naming the accepted extensions", async () => {
    const res = await call(app, "/public/v1/files/upload-url", {
      key: a.key,
      json: { filename: "part.stl" },
    });
    expect(res.status).toBe(415);
    const json = await failure(res);
    expect(json.code).toBe("UNSUPPORTED_FILE_TYPE");
    expect(json.error).toContain(".gcode, .gco, .g");
  });

  it.each([
    ["a path", "../etc/passwd.gcode"],
    ["a Windows path", "dir\\part.gcode"],
    ["an empty name", ""],
    ["a name of 256 characters", `${"x".repeat(250)}.gcode`],
    ["a control character", "a\u0000b.gcode"],
  ])("answers 400 naming filename for %s", async (_, filename) => {
    const res = await call(app, "/public/v1/files/upload-url", { key: a.key, json: { filename } });
    expect(res.status).toBe(400);
    const json = await failure(res);
    expect(json.code).toBe("INVALID_REQUEST");
    expect(json.error).toContain('"filename"');
  });

  it("accepts upper-case extensions and the .gco and .g ones", async () => {
    for (const filename of ["PART.GCODE", "part.gco", "part.g"]) {
      const res = await call(app, "/public/v1/files/upload-url", {
        key: a.key,
        json: { filename },
      });
      expect(res.status).toBe(201);
    }
  });
});

describe("PUT /files/upload/{token}", () => {
  it("checks the API key first, with its own codes", async () => {
    const upload = await uploadUrl(app, a.key);
    const res = await put(app, upload.upload_url, undefined, PRUSA_GCODE);
    expect(res.status).toBe(401);
    expect((await failure(res)).code).toBe("UNAUTHORIZED");
  });

  it("answers 401 INVALID_TOKEN for a token it did not sign, saying upload token", async () => {
    const upload = await uploadUrl(app, a.key);
    const [payload, mac] = upload.upload_token.split(".") as [string, string];
    const forged = `${payload}.${mac.slice(0, -2)}${mac.endsWith("AA") ? "BB" : "AA"}`;
    for (const token of [forged, "not-a-token", `${payload}x.${mac}`]) {
      const res = await put(app, `/public/v1/files/upload/${token}`, a.key, PRUSA_GCODE);
      expect(res.status).toBe(401);
      const json = await failure(res);
      expect(json.code).toBe("INVALID_TOKEN");
      expect(json.error).toContain("upload token");
    }
  });

  it("answers 401 TOKEN_EXPIRED after an hour", async () => {
    const upload = await uploadUrl(app, a.key);
    (services.clock as TestClock).advance(3600 * 1000 + 1);
    try {
      const res = await put(app, upload.upload_url, a.key, PRUSA_GCODE);
      expect(res.status).toBe(401);
      const json = await failure(res);
      expect(json).toMatchObject({ code: "TOKEN_EXPIRED" });
      expect(json.error).toContain("upload token");
    } finally {
      (services.clock as TestClock).advance(-(3600 * 1000 + 1));
    }
  });

  it("answers 403 to another organization's key and to another key of the same one", async () => {
    const upload = await uploadUrl(app, a.key);
    const stranger = await put(app, upload.upload_url, b.key, PRUSA_GCODE);
    expect(stranger.status).toBe(403);
    expect((await failure(stranger)).code).toBe("FORBIDDEN");
    const colleague = await createApiKey(services.db, a.organization.id);
    expect((await put(app, upload.upload_url, colleague.key, PRUSA_GCODE)).status).toBe(403);
    expect(await services.fileStore.head(upload.storage_key)).toBeNull();
  });

  it("answers 400 NO_CONTENT for an empty body, chunked or not, and stores nothing", async () => {
    const upload = await uploadUrl(app, a.key);
    const empty = await put(app, upload.upload_url, a.key, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect((await failure(empty)).code).toBe("NO_CONTENT");
    const chunked = await put(app, upload.upload_url, a.key, countingStream(0).stream, {
      "Transfer-Encoding": "chunked",
    });
    expect((await failure(chunked)).code).toBe("NO_CONTENT");
    expect(await services.fileStore.head(upload.storage_key)).toBeNull();
  });

  it("answers 411 without a Content-Length or chunked framing", async () => {
    const upload = await uploadUrl(app, a.key);
    const res = await put(app, upload.upload_url, a.key, countingStream(1000).stream);
    expect(res.status).toBe(411);
    expect((await failure(res)).code).toBe("LENGTH_REQUIRED");
  });

  it("answers 413 FILE_TOO_LARGE for a declared length past the limit without reading the body", async () => {
    const upload = await uploadUrl(app, a.key);
    const { stream, state } = countingStream(5 * 1024 * 1024);
    const res = await put(app, upload.upload_url, a.key, stream, {
      "Content-Length": String(5 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    const json = await failure(res);
    expect(json.code).toBe("FILE_TOO_LARGE");
    expect(json.error).toContain("1 MB");
    expect(state.pulled).toBeLessThan(1024 * 1024);
    expect(await services.fileStore.head(upload.storage_key)).toBeNull();
  });

  it("cuts a chunked body off as it passes the limit, stores nothing and keeps an earlier upload", async () => {
    const upload = await uploadUrl(app, a.key);
    expect((await put(app, upload.upload_url, a.key, PRUSA_GCODE)).status).toBe(200);
    const before = await storedObjects();
    const { stream, state } = countingStream(20 * 1024 * 1024);
    const res = await put(app, upload.upload_url, a.key, stream, {
      "Transfer-Encoding": "chunked",
    });
    expect(res.status).toBe(413);
    expect((await failure(res)).code).toBe("FILE_TOO_LARGE");
    // Read a little past the limit (stream buffers), nowhere near the whole 20 MB.
    expect(state.pulled).toBeLessThan(3 * 1024 * 1024);
    expect((await services.fileStore.head(upload.storage_key))?.sizeBytes).toBe(PRUSA_GCODE.length);
    expect((await storedObjects()).sort()).toEqual(before.sort());
  });

  it("refuses a second upload once the first was made a print file", async () => {
    const upload = await uploadUrl(app, a.key);
    await put(app, upload.upload_url, a.key, PRUSA_GCODE);
    await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "Made once", storage_key: upload.storage_key },
    });
    const res = await put(app, upload.upload_url, a.key, CURA_GCODE);
    expect(res.status).toBe(409);
    expect((await services.fileStore.head(upload.storage_key))?.sizeBytes).toBe(PRUSA_GCODE.length);
  });

  it("keeps other /public/v1 bodies at 64 KiB", async () => {
    const res = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "x".repeat(70 * 1024), storage_key: "k" },
      headers: { "Content-Length": String(70 * 1024 + 40) },
    });
    expect(res.status).toBe(413);
    expect((await failure(res)).code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("POST /files", () => {
  it("answers 400 FILE_NOT_UPLOADED for a storage key with no bytes, or another organization's", async () => {
    const upload = await uploadUrl(app, a.key);
    const notYet = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "Not yet", storage_key: upload.storage_key },
    });
    expect(notYet.status).toBe(400);
    expect((await failure(notYet)).code).toBe("FILE_NOT_UPLOADED");
    await put(app, upload.upload_url, a.key, PRUSA_GCODE);
    const stranger = await call(app, "/public/v1/files", {
      key: b.key,
      json: { name: "Theirs", storage_key: upload.storage_key },
    });
    expect((await failure(stranger)).code).toBe("FILE_NOT_UPLOADED");
  });

  it("answers FILE_NOT_UPLOADED once the upload is more than an hour old", async () => {
    const upload = await uploadUrl(app, a.key);
    await put(app, upload.upload_url, a.key, PRUSA_GCODE);
    (services.clock as TestClock).advance(3601 * 1000);
    try {
      const res = await call(app, "/public/v1/files", {
        key: a.key,
        json: { name: "Too late", storage_key: upload.storage_key },
      });
      expect((await failure(res)).code).toBe("FILE_NOT_UPLOADED");
    } finally {
      (services.clock as TestClock).advance(-3601 * 1000);
    }
  });

  it("answers 409 DUPLICATE_NAME and keeps the upload for another name", async () => {
    await uploadFile(app, a.key, "Twice");
    const upload = await uploadUrl(app, a.key);
    await put(app, upload.upload_url, a.key, PRUSA_GCODE);
    const res = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "Twice", storage_key: upload.storage_key },
    });
    expect(res.status).toBe(409);
    expect((await failure(res)).code).toBe("DUPLICATE_NAME");
    const retry = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "Twice (2)", storage_key: upload.storage_key },
    });
    expect(retry.status).toBe(201);
  });

  it("answers 404 PRODUCT_NOT_FOUND unless product_id is one of the organization's SKUs", async () => {
    const theirs = await createSku(services.db, b.organization.id);
    const ours = await createSku(services.db, a.organization.id);
    const upload = await uploadUrl(app, a.key);
    await put(app, upload.upload_url, a.key, PRUSA_GCODE);
    for (const productId of [theirs.productId, "not-an-id", crypto.randomUUID()]) {
      const res = await call(app, "/public/v1/files", {
        key: a.key,
        json: { name: "With product", storage_key: upload.storage_key, product_id: productId },
      });
      expect(res.status).toBe(404);
      expect((await failure(res)).code).toBe("PRODUCT_NOT_FOUND");
    }
    const res = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "With product", storage_key: upload.storage_key, product_id: ours.productId },
    });
    expect((await dataOf(res, "createPrintFile")).product_id).toBe(ours.productId);
    const left = await services.db
      .select()
      .from(fileUploads)
      .where(eq(fileUploads.storageKey, upload.storage_key));
    expect(left).toEqual([]);
  });

  it("answers 400 naming the field for a bad number_of_units", async () => {
    const res = await call(app, "/public/v1/files", {
      key: a.key,
      json: { name: "n", storage_key: "k", number_of_units: 0 },
    });
    expect(res.status).toBe(400);
    expect((await failure(res)).error).toContain('"number_of_units"');
  });
});

describe("GET /files", () => {
  it("lists the organization's files newest first with filters and meta, like GET /jobs", async () => {
    const t = await tenant(services.db, "Lister");
    const sku = await createSku(services.db, t.organization.id);
    const prusa = await uploadFile(app, t.key, "Prusa", PRUSA_GCODE, { product_id: sku.productId });
    (services.clock as TestClock).advance(1000);
    const cura = await uploadFile(app, t.key, "Cura", CURA_GCODE);
    const list = async (query: string) => {
      const res = await call(app, `/public/v1/files${query}`, { key: t.key });
      expect(res.status).toBe(200);
      return answer(res, "listPrintFiles");
    };
    const all = await list("");
    expect(all.data.map((f) => f.id)).toEqual([cura.id, prusa.id]);
    expect(all.meta).toEqual({ limit: 50, offset: 0, count: 2 });
    expect((await list("?filament_type=PETG")).data.map((f) => f.id)).toEqual([prusa.id]);
    expect((await list("?model_id=Creality%20Ender-3")).data.map((f) => f.id)).toEqual([cura.id]);
    expect((await list(`?product_id=${sku.productId}`)).data).toHaveLength(1);
    expect((await list("?product_id=nope")).meta?.count).toBe(0);
    const page = await list("?limit=1&offset=1");
    expect(page.data.map((f) => f.id)).toEqual([prusa.id]);
    expect(page.meta).toEqual({ limit: 1, offset: 1, count: 2 });
    const bad = await call(app, "/public/v1/files?limit=0", { key: t.key });
    expect((await failure(bad)).error).toContain('"limit"');
  });
});

describe("DELETE /files/{id}", () => {
  it("answers 409 FILE_IN_USE while a job that has not finished prints it, then deletes bytes and thumbnail", async () => {
    const file = await uploadFile(app, a.key, "In use");
    const [row] = await services.db.select().from(printFiles).where(eq(printFiles.id, file.id));
    const job = await createJob(services.db, a.organization.id, {
      printFileId: file.id,
      status: "printing",
    });
    const busy = await call(app, `/public/v1/files/${file.id}`, { key: a.key, method: "DELETE" });
    expect(busy.status).toBe(409);
    expect((await failure(busy)).code).toBe("FILE_IN_USE");
    await createJob(services.db, a.organization.id, { printFileId: file.id, status: "completed" });
    await services.db.update(jobs).set({ status: "cancelled" }).where(eq(jobs.id, job.id));
    const res = await call(app, `/public/v1/files/${file.id}`, { key: a.key, method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await dataOf(res, "deletePrintFile")).toEqual({ id: file.id, deleted: true });
    expect(await services.fileStore.head(row!.storageKey)).toBeNull();
    expect(await services.fileStore.head(row!.thumbnailKey!)).toBeNull();
    const gone = await call(app, `/public/v1/files/${file.id}`, { key: a.key });
    expect(gone.status).toBe(404);
  });
});
