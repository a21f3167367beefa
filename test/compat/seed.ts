import { type Database, skuParts } from "@apf/db";
import {
  createJob,
  createPrinter,
  createSku,
  createSpool,
} from "../../apps/api/test/support/public-factories.ts";

const at = (now: Date, secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);

/**
 * A farm with something on both sides of every documented filter: printers in every status
 * that matters, active and not, at two locations; jobs in every status on two printers;
 * finished goods in each stock status, a kit that needs assembly and its parts; spools of two
 * materials and colours, low and not.
 */
export async function seedFarm(db: Database, organizationId: string, now: Date) {
  const org = organizationId;
  const fresh = at(now, 5);
  const printers = {
    idle: await createPrinter(db, org, {
      name: "Alpha MK4",
      location: "Shelf A",
      model: "MK4",
      manufacturer: "Prusa",
      nozzleSize: 0.4,
      currentColor: "Galaxy Black",
      currentColorHex: "#1a1a1a",
      currentFilamentType: "PLA",
      currentBuildPlate: "Textured PEI",
      lastSeenAt: fresh,
      observedAt: fresh,
      temperatures: { tool0: { actual: 24.5, target: 0 }, bed: { actual: 23, target: 0 } },
    }),
    printing: await createPrinter(db, org, {
      name: "Bravo MK4",
      location: "Shelf B",
      status: "printing",
      lastSeenAt: fresh,
      observedAt: fresh,
      progressPercentage: 42.5,
      printTimeLeftS: 1500,
      temperatures: { tool0: { actual: 214.8, target: 215 }, bed: { actual: 60.1, target: 60 } },
    }),
    stale: await createPrinter(db, org, {
      name: "Charlie Mini",
      location: "Shelf A",
      status: "printing",
      lastSeenAt: at(now, 3600),
    }),
    inactive: await createPrinter(db, org, {
      name: "Delta XL",
      location: "Shelf B",
      isActive: false,
      lastSeenAt: fresh,
    }),
    maintenance: await createPrinter(db, org, {
      name: "Echo MK3",
      location: "Shelf A",
      inMaintenance: true,
      maintenanceType: "nozzle change",
      lastMaintenanceDate: at(now, 600),
      lastSeenAt: fresh,
    }),
  };

  const wheel = await createSku(db, org, {
    sku: "PART-WHEEL",
    productName: "Wheel",
    color: "Black",
    material: "PLA",
    readyStock: 9,
    lowStockThreshold: 4,
  });
  const skus = {
    inStock: await createSku(db, org, {
      sku: "CLIP-BLK",
      productName: "Cable clip",
      color: "Black",
      material: "PLA",
      readyStock: 40,
      lowStockThreshold: 10,
      imageUrl: "https://cdn.example/clip.png",
    }),
    low: await createSku(db, org, {
      sku: "HOOK-RED",
      productName: "Hook",
      color: "Red",
      material: "PETG",
      readyStock: 3,
      lowStockThreshold: 5,
    }),
    out: await createSku(db, org, {
      sku: "VASE-WHT",
      productName: "Vase",
      color: "White",
      material: "PETG",
      readyStock: 0,
      lowStockThreshold: 2,
    }),
    kit: await createSku(db, org, {
      sku: "KIT-CART",
      productName: "Cart kit",
      material: "PLA",
      readyStock: 0,
    }),
    wheel,
  };
  await db
    .insert(skuParts)
    .values({ organizationId: org, kitSkuId: skus.kit.id, partSkuId: wheel.id, quantity: 4 });

  const job = (
    status: "queued" | "processing" | "printing" | "completed" | "failed" | "cancelled",
    printerId: string,
    secondsAgo: number,
  ) =>
    createJob(db, org, {
      status,
      printerId,
      productSkuId: skus.inStock.id,
      numberOfUnits: 4,
      color: "Black",
      filamentType: "PLA",
      materialType: "PLA",
      createdAt: at(now, secondsAgo),
      timeSubmitted: at(now, secondsAgo),
      ...(status === "completed"
        ? {
            timeStarted: at(now, secondsAgo),
            timeCompleted: at(now, secondsAgo - 1800),
            actualPrintTimeMinutes: 30,
            progressPercentage: 100,
          }
        : {}),
      ...(status === "failed" ? { failureReason: "printer_error" } : {}),
    });
  const jobs = {
    completed: await job("completed", printers.idle.id, 7200),
    failed: await job("failed", printers.idle.id, 6000),
    cancelled: await job("cancelled", printers.printing.id, 5000),
    queued: await job("queued", printers.idle.id, 300),
    processing: await job("processing", printers.idle.id, 200),
    printing: await job("printing", printers.printing.id, 100),
  };

  const spools = {
    petgBlackLow: await createSpool(db, org, {
      type: "PETG",
      color: "Black",
      hexCode: "#000000",
      brand: "Prusament",
      remainingGrams: 80,
      spoolWeightGrams: 1000,
      lowThreshold: 100,
      location: "Dry box",
    }),
    plaBlack: await createSpool(db, org, {
      type: "PLA",
      color: "black",
      remainingGrams: 750,
      spoolWeightGrams: 1000,
      lowThreshold: 100,
      printerId: printers.idle.id,
      status: "in_use",
    }),
    plaWhiteNoThreshold: await createSpool(db, org, {
      type: "PLA",
      color: "White",
      remainingGrams: 20,
    }),
    petgRed: await createSpool(db, org, {
      type: "PETG",
      color: "Red",
      remainingGrams: 900,
      lowThreshold: 50,
    }),
  };

  return { printers, skus, jobs, spools };
}

export type SeededFarm = Awaited<ReturnType<typeof seedFarm>>;
