// The upload and the agent's download through the routes with the S3 store (a real S3-protocol
// server, s3rver), not only the store's own contract: prepare → PUT the body → record, then a
// print command's signed link fetched as the agent.
import { createHash } from "node:crypto";
import { printFiles } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { channelOpen } from "../control/helpers.ts";
import { call, dataOf, publicTestServices, type TestApp, tenant } from "../public/helpers.ts";
import { agentLoop, enqueue, send } from "../queue/helpers.ts";
import { createAgent } from "../support/factories.ts";
import { createPrinter } from "../support/public-factories.ts";
import { startS3rver } from "../support/s3rver.ts";
import type { TestServices } from "../support/services.ts";
import { PRUSA_GCODE, put } from "./helpers.ts";

let s3: Awaited<ReturnType<typeof startS3rver>>;
let services: TestServices;
let app: TestApp;
beforeAll(async () => {
  s3 = await startS3rver();
  services = await publicTestServices({ env: { APF_FILE_STORE: s3.url("tenants") } });
  app = createApp(services);
});
afterAll(async () => {
  await services?.close();
  await s3?.close();
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

it("uploads in three steps to S3 and hands the agent the same bytes by its signed link", async () => {
  expect(services.fileStore.kind).toBe("s3");
  const t = await tenant(services.db);

  const step1 = await call(app, "/public/v1/files/upload-url", {
    key: t.key,
    json: { filename: "benchy.gcode" },
  });
  expect(step1.status).toBe(201);
  const upload = await dataOf(step1, "createFileUploadUrl");
  const step2 = await put(app, upload.upload_url, t.key, PRUSA_GCODE);
  expect(step2.status).toBe(200);
  expect(await dataOf(step2, "uploadFile")).toEqual({
    size_bytes: PRUSA_GCODE.length,
    sha256: sha256(PRUSA_GCODE),
  });
  const step3 = await call(app, "/public/v1/files", {
    key: t.key,
    json: { name: "Benchy on S3", storage_key: upload.storage_key },
  });
  expect(step3.status).toBe(201);
  const file = await dataOf(step3, "createPrintFile");
  expect(file).toMatchObject({
    id: upload.file_id,
    file_size_bytes: PRUSA_GCODE.length,
    sha256: sha256(PRUSA_GCODE),
    print_time_seconds: 3723,
    filament_type: "PETG",
    printer_model_id: "MK4S",
    nozzle_diameter: 0.4,
    slicer: "PrusaSlicer 2.7.1+linux-x64-GTK3",
    has_thumbnail: true,
  });
  // The bytes and the thumbnail are objects of the bucket.
  const [row] = await services.db.select().from(printFiles).where(eq(printFiles.id, file.id));
  expect(await services.fileStore.head(row!.storageKey)).toEqual({
    sizeBytes: PRUSA_GCODE.length,
  });
  const thumbnail = await call(app, `/public/v1/files/${file.id}/thumbnail`, { key: t.key });
  expect(thumbnail.status).toBe(200);
  expect(
    Buffer.from(await thumbnail.arrayBuffer())
      .subarray(1, 4)
      .toString(),
  ).toBe("PNG");

  // The agent gets the file's link in the print command and downloads it from S3 through the API.
  const agent = await createAgent(services.db, t.organization.id);
  const now = services.clock.now();
  const printer = await createPrinter(services.db, t.organization.id, {
    agentId: agent.id,
    model: "MK4S",
    lastSeenAt: now,
    observedAt: now,
  });
  const job = (await enqueue(app, t.key, { print_file_id: file.id, printer_id: printer.id })).body
    .data!;
  const loop = agentLoop(app, agent.token, () => undefined);
  await channelOpen(services, agent.id);
  const started = await send(app, t.key, "POST", `/public/v1/jobs/${job.id}/start`);
  await loop.stop();
  expect(started.status).toBe(200);
  const [command] = loop.received;
  expect(command).toMatchObject({
    action: "print",
    job_id: job.id,
    file: { size_bytes: PRUSA_GCODE.length, sha256: sha256(PRUSA_GCODE) },
  });
  const download = await app.request(command!.file!.url, {
    headers: { Authorization: `Bearer ${agent.token}` },
  });
  expect(download.status).toBe(200);
  expect(download.headers.get("content-length")).toBe(String(PRUSA_GCODE.length));
  expect(download.headers.get("x-content-sha256")).toBe(sha256(PRUSA_GCODE));
  const bytes = Buffer.from(await download.arrayBuffer());
  expect(sha256(bytes)).toBe(sha256(PRUSA_GCODE));
});
