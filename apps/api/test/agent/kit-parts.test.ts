import { jobs, printers, skuParts, skus } from "@apf/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createTestServices, type TestServices } from "../support/services.ts";
import { FIXTURES, machine, postReport, report } from "./report-builder.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let token: string;

beforeAll(async () => {
  services = await createTestServices();
  app = createApp(services);
});
afterAll(() => services.close());
beforeEach(async () => {
  const { organization } = await createOrganization(services.db);
  orgId = organization.id;
  token = (await createAgent(services.db, orgId)).token;
});

const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s)).toISOString();

function post(body: unknown) {
  return postReport(app, token, body);
}

async function sku(code: string, printFileName: string, unitsPerPrint: number) {
  const [row] = await services.db
    .insert(skus)
    .values({ organizationId: orgId, sku: code, productName: code, printFileName, unitsPerPrint })
    .returning();
  return row!;
}

async function stockOf(id: string) {
  const [row] = await services.db.select().from(skus).where(eq(skus.id, id));
  return row!.readyStock;
}

/** One print of `file` from start to finish on printer-a. */
async function printOnce(file: string, from: number) {
  await post(
    report([machine({ observedAt: t(from), flags: { printing: true }, file, completion: 40 })]),
  );
  const done = await post(
    report([machine({ observedAt: t(from + 1), flags: {}, file, completion: 100 })]),
  );
  expect(done.status).toBe(202);
}

it("counts a completed print of a part into the part's stock, and never a print into a kit's", async () => {
  const wheel = await sku("WHEEL", "wheel.gcode", 2);
  const kit = await sku("CART-KIT", "cart.gcode", 1);
  await services.db
    .insert(skuParts)
    .values({ organizationId: orgId, kitSkuId: kit.id, partSkuId: wheel.id, quantity: 4 });

  await printOnce("wheel.gcode", 1);
  expect(await stockOf(wheel.id)).toBe(2);

  await printOnce("cart.gcode", 3);
  expect(await stockOf(kit.id)).toBe(0);
  const cartJob = (
    await services.db.select().from(jobs).where(eq(jobs.organizationId, orgId))
  ).find((j) => j.fileName === "cart.gcode");
  expect(cartJob).toMatchObject({ status: "completed", productSkuId: null });
});

it("keeps OctoPrint's time left of the running print, and clears it when the print ends", async () => {
  const expected = (FIXTURES.job as { progress: { printTimeLeft: number } }).progress.printTimeLeft;
  await post(
    report([
      machine({ observedAt: t(1), flags: { printing: true }, file: "a.gcode", completion: 40 }),
    ]),
  );
  const [printing] = await services.db
    .select()
    .from(printers)
    .where(eq(printers.organizationId, orgId));
  expect(printing!.printTimeLeftS).toBe(Math.round(expected));
  await post(report([machine({ observedAt: t(2), flags: {}, file: "a.gcode", completion: 100 })]));
  const [idle] = await services.db
    .select()
    .from(printers)
    .where(eq(printers.organizationId, orgId));
  expect(idle!.printTimeLeftS).toBeNull();
});
