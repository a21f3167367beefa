import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * A stored percentage as every surface shows it (printer and job progress): clamped to 0–100 and
 * rounded to 2 decimals, so OctoPrint's float noise (`38.007999999999996`) reads `38.01`; null
 * stays null. Computed once here, in the query, so lists, caches and single reads agree.
 */
export function shownPercent(value: AnyColumn | SQL): SQL<number | null> {
  return sql<
    number | null
  >`(case when ${value} is not null then round(least(100, greatest(0, ${value}))::numeric, 2)::float8 end)`;
}
