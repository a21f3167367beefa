import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Rows, scriptTransaction, sqlLiteral } from "../src/client.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const TRICKY = [
  "",
  "it's",
  "''",
  "\\",
  "\\'",
  "'\\",
  "E'\\x41'",
  "$$",
  "$apf$",
  "x$apf",
  "a'; drop table organizations; --",
  "line\nbreak\ttab",
  "ünïcødé ✓ 🖨",
];

async function roundTrip(values: string[], conforming: "on" | "off") {
  const { value } = await scriptTransaction(
    database.db,
    [`set local standard_conforming_strings = ${conforming}`],
    async (tx) => {
      const rows: Rows = [];
      for (const v of values) {
        const result = (await tx.execute(sql.raw(`select ${sqlLiteral(v)} as v`))) as {
          rows: Rows;
        };
        rows.push(...result.rows);
      }
      return { value: rows.map((r) => r.v), close: [] };
    },
  );
  return value;
}

describe("sqlLiteral", () => {
  it("is the value itself in Postgres, whatever standard_conforming_strings says", async () => {
    for (const conforming of ["on", "off"] as const) {
      expect(await roundTrip(TRICKY, conforming)).toEqual(TRICKY);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: "binary" }).map((s) => s.replaceAll("\u0000", "")),
          {
            maxLength: 20,
          },
        ),
        async (values) => {
          expect(await roundTrip(values, "on")).toEqual(values);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("is NULL for null", () => {
    expect(sqlLiteral(null)).toBe("null");
  });
});

describe("scriptTransaction", () => {
  it("runs the opening and closing statements in one transaction, each answering its rows", async () => {
    const { value, closed } = await scriptTransaction(
      database.db,
      ["create temporary table t (n int) on commit drop", "insert into t values (1), (2)"],
      async (tx, opened) => {
        expect(opened).toEqual([[], []]);
        await tx.execute(sql`insert into t values (3)`);
        return {
          value: "decided",
          close: ["insert into t values (4)", "select sum(n)::int as s from t"],
        };
      },
    );
    expect(value).toBe("decided");
    expect(closed).toEqual([[], [{ s: 10 }]]);
  });

  it("applies nothing when a statement fails, and the connection serves the next transaction", async () => {
    await database.db.execute(sql`create table if not exists script_probe (n int primary key)`);
    await expect(
      scriptTransaction(database.db, ["insert into script_probe values (1)"], async () => ({
        value: null,
        close: ["insert into script_probe values (2)", "insert into script_probe values (1)"],
      })),
    ).rejects.toThrow();
    await expect(
      scriptTransaction(database.db, ["insert into script_probe values (5)"], async () => {
        throw new Error("decided otherwise");
      }),
    ).rejects.toThrow("decided otherwise");
    const { closed } = await scriptTransaction(database.db, [], async () => ({
      value: null,
      close: ["select count(*)::int as n from script_probe"],
    }));
    expect(closed).toEqual([[{ n: 0 }]]);
  });
});
