// Uploads whose bytes arrived but never became a print file expire: the periodic sweep removes
// their record and their bytes from the file store.
import { fileUploads, printFiles } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import {
  call,
  dataOf,
  failure,
  publicTestServices,
  type TestApp,
  tenant,
} from "../public/helpers.ts";
import type { TestClock, TestServices } from "../support/services.ts";
import { PRUSA_GCODE, put, uploadFile, uploadUrl } from "./helpers.ts";

let services: TestServices;
let app: TestApp;
beforeAll(async () => {
  services = await publicTestServices();
  app = createApp(services);
});
afterAll(() => services.close());

const HOUR = 3600 * 1000;

it("removes an upload not made a print file within its hour, with its bytes and thumbnail, and nothing else", async () => {
  const clock = services.clock as TestClock;
  const t = await tenant(services.db);
  const pending = await uploadUrl(app, t.key, "forgotten.gcode");
  expect((await put(app, pending.upload_url, t.key, PRUSA_GCODE)).status).toBe(200);
  const [record] = await services.db
    .select()
    .from(fileUploads)
    .where(eq(fileUploads.storageKey, pending.storage_key));
  // A PrusaSlicer file carries a thumbnail, stored beside the bytes.
  expect(record?.thumbnailKey).toEqual(expect.any(String));
  const kept = await uploadFile(app, t.key, "Kept");
  const keptFile = await dataOf(
    await call(app, `/public/v1/files/${kept.id}`, { key: t.key }),
    "getPrintFile",
  );
  expect(keptFile.has_thumbnail).toBe(true);

  clock.advance(HOUR - 1000);
  await services.dispatcher.runOnce();
  expect(await services.fileStore.head(pending.storage_key)).not.toBeNull();

  // Past its hour step 3 refuses it; the sweep leaves it a little longer, for an upload of the
  // same token that may still be streaming (APF_REQUEST_TIMEOUT_MS).
  clock.advance(2000);
  const late = await call(app, "/public/v1/files", {
    key: t.key,
    json: { name: "Too late", storage_key: pending.storage_key },
  });
  expect([late.status, (await failure(late)).code]).toEqual([400, "FILE_NOT_UPLOADED"]);
  await services.dispatcher.runOnce();
  expect(await services.fileStore.head(pending.storage_key)).not.toBeNull();

  clock.advance(services.config.APF_REQUEST_TIMEOUT_MS);
  await services.dispatcher.runOnce();
  const left = await services.db
    .select()
    .from(fileUploads)
    .where(eq(fileUploads.organizationId, t.organization.id));
  expect(left).toEqual([]);
  expect(await services.fileStore.head(pending.storage_key)).toBeNull();
  expect(await services.fileStore.head(record!.thumbnailKey!)).toBeNull();
  // The print file made from the other upload keeps its bytes and thumbnail.
  const download = await call(app, `/public/v1/files/${kept.id}/thumbnail`, { key: t.key });
  expect(download.status).toBe(200);
  const [keptRow] = await services.db.select().from(printFiles).where(eq(printFiles.id, kept.id));
  expect(await services.fileStore.head(keptRow!.storageKey)).not.toBeNull();
});
