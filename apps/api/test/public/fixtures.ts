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
