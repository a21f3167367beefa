import { readFileSync } from "node:fs";
import type { Json } from "./helpers.ts";

/** An AutoPrintFarm response fixture from test/fixtures/autoprintfarm. */
export function autoPrintFarmFixture(name: string): Json {
  const url = new URL(`../fixtures/autoprintfarm/${name}.response.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

/** The keys of an object, sorted. */
export function keysOf(value: object): string[] {
  return Object.keys(value).sort();
}

/** Fields apf's print queue adds to AutoPrintFarm's job item (see docs/public-api.md). */
export const QUEUE_JOB_FIELDS = [
  "attempts",
  "last_error",
  "position",
  "print_file_id",
  "priority",
  "waiting_reason",
] as const;

/** AutoPrintFarm's job keys plus the queue's, sorted. */
export function withQueueFields(keys: readonly string[]): string[] {
  return [...keys, ...QUEUE_JOB_FIELDS].sort();
}
