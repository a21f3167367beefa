import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";

export const organizations = pgTable("organizations", {
  id: id(),
  name: text("name").notNull(),
  /** Exact origins allowed to call /public/v1 from a browser, or ["*"]. Empty by default. */
  allowedOrigins: text("allowed_origins").array().notNull().default([]),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
