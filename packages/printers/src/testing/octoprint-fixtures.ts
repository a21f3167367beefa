import { readdirSync, readFileSync } from "node:fs";

/**
 * Test support shared by every workspace: OctoPrint's documented example bodies, one copy
 * (`@apf/printers/testing`). Not used by the product at run time.
 */

const DIR = new URL("./octoprint/", import.meta.url);

/** Names of every OctoPrint fixture file. */
export function fixtureNames(): string[] {
  return readdirSync(DIR).filter((name) => name.endsWith(".json"));
}

/** A fresh copy of one fixture body, safe to mutate in a test. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, DIR), "utf8")) as T;
}

/** `GET /api/printer` of the docs (history included, as the fixture has it). */
export const printerFixture = () => fixture("printer.get.history-limit2.response.json");
/** `GET /api/job` of the docs. */
export const jobFixture = () => fixture("job.get.response.json");
/** `GET /api/version` of the docs. */
export const versionFixture = () => fixture("version.get.response.json");

const REAL_DIR = new URL("./octoprint-real/", import.meta.url);

/** One recorded answer of a real OctoPrint 1.10.3 (`octoprint-real/`): status and body. */
export interface RealAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A fresh copy of a real OctoPrint answer, e.g. `files_upload_wrong_extension__415`. */
export function realAnswer<T = Record<string, unknown>>(name: string): RealAnswer<T> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, REAL_DIR), "utf8")) as RealAnswer<T>;
}
