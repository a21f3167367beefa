import { readFileSync } from "node:fs";

/** A JSON object of unknown fields. */
export type JsonObject = { [field: string]: unknown };

/**
 * An AutoPrintFarm response: its envelope, whose `data` is one object or a list of them (none in
 * an error's).
 */
export interface Fixture extends JsonObject {
  data?: JsonObject | JsonObject[];
}

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An AutoPrintFarm response fixture from test/fixtures/autoprintfarm. */
export function autoPrintFarmFixture(name: string): Fixture {
  const url = new URL(`../fixtures/autoprintfarm/${name}.response.json`, import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(url, "utf8"));
  const data = isJsonObject(parsed) ? parsed.data : undefined;
  const fits =
    data === undefined || isJsonObject(data) || (Array.isArray(data) && data.every(isJsonObject));
  if (!isJsonObject(parsed) || !fits) {
    throw new Error(`${name}: not an envelope whose data is an object or a list of objects`);
  }
  return parsed as Fixture;
}

/** A fixture's item: its data, or the first of its list. */
export function fixtureItem(fixture: Fixture): JsonObject {
  const item = Array.isArray(fixture.data) ? fixture.data[0] : fixture.data;
  if (!item) throw new Error("the fixture has no item");
  return item;
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
