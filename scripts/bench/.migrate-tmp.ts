import { createDatabase } from "@apf/db";

const t = performance.now();
const h = await createDatabase({ databaseUrl: process.argv[2]! });
console.log(JSON.stringify(h.migrations), Math.round(performance.now() - t), "ms");
await h.close();
