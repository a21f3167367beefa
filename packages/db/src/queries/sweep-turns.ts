import { sql } from "drizzle-orm";
import type { Queryable } from "../client.ts";
import { sweepTurns } from "../schema/index.ts";

/**
 * Takes the turn of the sweep `name` when nobody took it in the last `periodMs` (by the
 * database's clock): true for exactly one of the instances asking within a period.
 */
export async function takeSweepTurn(
  db: Queryable,
  name: string,
  periodMs: number,
): Promise<boolean> {
  const result = await db.execute(sql`
    insert into ${sweepTurns} as t (name, next_at)
    values (${name}, now() + make_interval(secs => ${periodMs / 1000}))
    on conflict (name) do update set next_at = excluded.next_at
    where t.next_at <= now()
    returning t.name`);
  return (result as { rows: unknown[] }).rows.length === 1;
}
