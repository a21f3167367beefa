// The route kit's rules, read from the source: operations below the routes speak no HTTP, nothing
// is cast away with `as never`, every error code has its status, route handlers answer JSON
// through the kit's json() (charset=utf-8), and no middleware rewrites a context method.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DomainError, ERROR_CODES, OUR_SIDE_CODES } from "../src/domain-error.ts";
import { ApiError, ERROR_STATUS, statusOf } from "../src/errors.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Below the routes: the platform parts and the capabilities (and the demo that drives them). */
const BELOW_ROUTES = ["platform", "modules", "demo"].map((dir) => join(ROOT, "apps/api/src", dir));
const PACKAGES = join(ROOT, "packages");
const API_SRC = join(ROOT, "apps/api/src");
const ROUTES = join(ROOT, "apps/api/src/routes");

/** Every TypeScript file below `dir` (node_modules left out). */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (/\.(ts|tsx|mts)$/.test(entry.name)) found.push(path);
  }
  return found;
}

/** The files of `files` whose text matches `pattern`, relative to the repository, with the line. */
function offenders(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (pattern.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [])),
  );
}

describe("operations below the routes speak no HTTP", () => {
  const below = [...BELOW_ROUTES.flatMap(sources), ...sources(PACKAGES)];

  it("finds the files it checks", () => {
    expect(below.length).toBeGreaterThan(50);
  });

  it("never imports or throws ApiError (they throw DomainError)", () => {
    expect(offenders(below, /\bApiError\b/)).toEqual([]);
  });

  it("never imports the HTTP layer's errors.ts", () => {
    const services = BELOW_ROUTES.flatMap(sources);
    expect(offenders(services, /from "(\.\.\/)+errors\.ts"/)).toEqual([]);
  });
});

it("casts nothing with `as never` in the API or the packages", () => {
  const files = [...sources(API_SRC), ...sources(PACKAGES)];
  expect(offenders(files, /\bas never\b/)).toEqual([]);
});

describe("the one table from error code to HTTP status", () => {
  it("gives every DomainError code a status, and has no other codes", () => {
    for (const code of ERROR_CODES) {
      expect(statusOf(code), code).toBeGreaterThanOrEqual(400);
      expect(statusOf(code), code).toBeLessThan(600);
    }
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it("answers 5xx exactly for the failures on our side", () => {
    const fiveHundreds = ERROR_CODES.filter((code) => statusOf(code) >= 500);
    expect(fiveHundreds.sort()).toEqual([...OUR_SIDE_CODES].sort());
  });

  it("keeps ApiError a DomainError, so onError answers both alike", () => {
    expect(new ApiError("NOT_FOUND", "x")).toBeInstanceOf(DomainError);
  });
});

describe("route handlers and middleware", () => {
  it("answer JSON through the kit's json() (charset=utf-8), never c.json directly", () => {
    expect(offenders(sources(ROUTES), /\bc\.json\(/)).toEqual([]);
  });

  it("never rewrite a context method", () => {
    expect(offenders(sources(API_SRC), /\bc\.(json|body|text|header|set|get)\s*=[^=]/)).toEqual([]);
  });
});
