import { afterAll, beforeAll, expect, it } from "vitest";
import { type BlankTestDatabase, createBlankTestDatabase } from "../src/testing.ts";
import { MIGRATION_FILES as files, migrationStatements } from "./support/migration-files.ts";

const target = files.findIndex((f) => f.includes("kits_maintenance_inventory_id"));

let db: BlankTestDatabase;
beforeAll(async () => {
  db = await createBlankTestDatabase();
});
afterAll(() => db.close());

it("gives existing SKUs an inventory id of their own and keeps their data", async () => {
  expect(target).toBeGreaterThan(0);
  for (const file of files.slice(0, target)) {
    for (const statement of migrationStatements(file)) await db.query(statement);
  }
  await db.query(`insert into organizations (id, name) values
    ('00000000-0000-4000-8000-000000000001', 'Farm')`);
  await db.query(`insert into skus (id, organization_id, sku, product_name, ready_stock) values
    ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'A', 'Alpha', 3),
    ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-000000000001', 'B', 'Beta', 5)`);

  for (const statement of migrationStatements(files[target]!)) await db.query(statement);

  const rows = await db.query<{
    id: string;
    inventory_id: string;
    sku: string;
    ready_stock: number;
  }>("select id, inventory_id, sku, ready_stock from skus order by sku");
  expect(rows.map((r) => [r.sku, r.ready_stock])).toEqual([
    ["A", 3],
    ["B", 5],
  ]);
  for (const row of rows) {
    expect(row.inventory_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.inventory_id).not.toBe(row.id);
  }
  expect(rows[0]!.inventory_id).not.toBe(rows[1]!.inventory_id);
});
