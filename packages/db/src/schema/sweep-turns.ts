import { pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./columns.ts";

/**
 * Whose turn it is to run a periodic sweep. Every instance runs the same timers; a sweep's turn
 * is taken by the first instance whose timer fires after `next_at` (one statement, see
 * queries/sweep-turns.ts), so the work is done once per period across instances, not once per
 * instance. If that instance dies, the turn falls to another at the next period.
 */
export const sweepTurns = pgTable("sweep_turns", {
  name: text("name").primaryKey(),
  nextAt: instant("next_at").notNull(),
});
