import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { call, dataOf, freshIp, type TestApp } from "../public/helpers.ts";

/** A real sliced file (PrusaSlicer, MK4S, PETG, with thumbnails) from the inspector's samples. */
export const PRUSA_GCODE = readFileSync(
  join(
    import.meta.dirname,
    "../../../../packages/printers/test/fixtures/gcode/prusaslicer-mk4s.gcode",
  ),
);
export const CURA_GCODE = readFileSync(
  join(import.meta.dirname, "../../../../packages/printers/test/fixtures/gcode/cura-ender3.gcode"),
);

/** PUT raw bytes, with a Content-Length unless told otherwise. */
export function put(
  app: TestApp,
  path: string,
  key: string | undefined,
  bytes: Uint8Array | ReadableStream | null,
  headers: Record<string, string> = {},
) {
  const all: Record<string, string> = {
    "X-Forwarded-For": freshIp(),
    "Content-Type": "application/octet-stream",
    ...headers,
  };
  if (key) all.Authorization = `Bearer ${key}`;
  if (bytes instanceof Uint8Array && !("Content-Length" in headers)) {
    all["Content-Length"] = String(bytes.length);
  }
  return app.request(path, {
    method: "PUT",
    headers: all,
    body: bytes,
    ...(bytes instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Step 1: a fresh upload URL for `filename`. */
export async function uploadUrl(app: TestApp, key: string, filename = "benchy.gcode") {
  const res = await call(app, "/public/v1/files/upload-url", { key, json: { filename } });
  expect(res.status).toBe(201);
  return dataOf(res, "createFileUploadUrl");
}

/** Steps 1 to 3: a print file named `name` holding `bytes`. */
export async function uploadFile(
  app: TestApp,
  key: string,
  name: string,
  bytes: Uint8Array = PRUSA_GCODE,
  extra: Record<string, unknown> = {},
) {
  const step1 = await uploadUrl(app, key);
  const step2 = await put(app, step1.upload_url, key, bytes);
  expect(step2.status).toBe(200);
  const res = await call(app, "/public/v1/files", {
    key,
    json: { name, storage_key: step1.storage_key, ...extra },
  });
  expect(res.status).toBe(201);
  return dataOf(res, "createPrintFile");
}

/** A stream of `total` bytes in 64 KiB chunks that counts how many were pulled. */
export function countingStream(total: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x47);
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      state.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, state };
}
