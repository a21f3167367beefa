import { randomBytes } from "node:crypto";
import { type Database, filamentSpools, jobs, printers, skus } from "@apf/db";

type NewPrinter = Partial<typeof printers.$inferInsert>;
type NewJob = Partial<typeof jobs.$inferInsert>;
type NewSku = Partial<typeof skus.$inferInsert>;
type NewSpool = Partial<typeof filamentSpools.$inferInsert>;

const suffix = () => randomBytes(4).toString("hex");

/** A printer row of the organization, seen recently and idle unless told otherwise. */
export async function createPrinter(db: Database, organizationId: string, values: NewPrinter = {}) {
  const [row] = await db
    .insert(printers)
    .values({
      organizationId,
      machineId: `machine-${suffix()}`,
      name: `Printer ${suffix()}`,
      status: "idle",
      reachable: true,
      ...values,
    })
    .returning();
  return row!;
}

/** A finished-goods SKU of the organization. */
export async function createSku(db: Database, organizationId: string, values: NewSku = {}) {
  const [row] = await db
    .insert(skus)
    .values({
      organizationId,
      sku: `SKU-${suffix()}`,
      productName: "Test product",
      ...values,
    })
    .returning();
  return row!;
}

/** A print job of the organization, queued unless told otherwise. */
export async function createJob(db: Database, organizationId: string, values: NewJob = {}) {
  const [row] = await db
    .insert(jobs)
    .values({ organizationId, status: "queued", fileName: `part-${suffix()}.gcode`, ...values })
    .returning();
  return row!;
}

/** A filament spool of the organization. */
export async function createSpool(db: Database, organizationId: string, values: NewSpool = {}) {
  const [row] = await db
    .insert(filamentSpools)
    .values({ organizationId, type: "PLA", remainingGrams: 750, ...values })
    .returning();
  return row!;
}
