import { createDatabase } from "@apf/db";
import { printerJobFigures } from "@apf/db/queries/analytics";
import { PrintersReportSchema } from "../../apps/api/src/routes/public/v1/analytics/schema.ts";
import { printersReport } from "../../apps/api/src/services/analytics/reports.ts";
import { readPrinterViews } from "../../apps/api/src/services/printer-view.ts";

const ORG = "0b5e4c1a-7a4e-4d8e-9a51-5eed00a11a71";
const h = await createDatabase({ databaseUrl: process.argv[2]!, migrate: false });
const deps = {
  db: h.db,
  clock: { now: () => new Date() },
  config: { APF_STALE_AFTER_S: 60 },
} as never;
const to = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 89 * 86400000).toISOString().slice(0, 10);
const w = { from, to, timeZone: "UTC", now: new Date() };
async function time(name: string, f: () => Promise<unknown> | unknown) {
  const ts: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(20), "p50", ts[7]!.toFixed(1), "min", ts[0]!.toFixed(1));
}
await time("views", () => readPrinterViews(h.db, ORG, { now: new Date(), staleAfterS: 60 }));
await time("figures", () => printerJobFigures(h.db, ORG, w));
let r: any;
await time("report", async () => {
  r = await printersReport(deps, ORG, { from, to });
});
await time("parse", () => PrintersReportSchema.parse(r.report));
await time("stringify", () => JSON.stringify(r.report));
await h.close();
