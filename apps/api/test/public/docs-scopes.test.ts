import { readFileSync } from "node:fs";
import { SCOPE_REGISTRY, SCOPES } from "@apf/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import type { TestServices } from "../support/services.ts";
import { publicTestServices } from "./helpers.ts";
import {
  type OperationObject,
  openApiDocument,
  operations as operationsOf,
} from "./openapi-document.ts";

/*
 * The scope tables integrators read (docs/public-api.md, and the scopes a key is minted with in
 * docs/dashboard-api.md) against the OpenAPI document the app serves: a route whose scope the
 * docs do not state, or state wrongly, fails here.
 */
const doc = (name: string) =>
  readFileSync(new URL(`../../../../docs/${name}`, import.meta.url), "utf8");

/** The rows of the markdown table whose header row is `header`: cells, trimmed. */
function table(markdown: string, header: string): string[][] {
  const lines = markdown.split("\n");
  const at = lines.findIndex((l) => l.trim() === header);
  expect(at, `a table headed ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim()),
    );
  }
  return rows;
}

interface Mention {
  method?: string;
  /** A path under /public/v1; ending in `…` it stands for every path it begins. */
  path: string;
}

/** `GET /printers`, `/orders…`: the routes a cell names in code spans. */
function mentions(cell: string): Mention[] {
  return [...cell.matchAll(/`(?:(GET|POST|PUT|PATCH|DELETE) )?(\/[^`\s]*)`/g)].map((m) => ({
    method: m[1],
    path: m[2]!,
  }));
}

function covers(m: Mention, method: string, path: string): boolean {
  if (m.method !== undefined && m.method !== method) return false;
  return m.path.endsWith("…") ? path.startsWith(m.path.slice(0, -1)) : m.path === path;
}

let services: TestServices;
/** An operation with apf's scope extensions. */
type ScopedOperation = OperationObject & {
  "x-required-scope"?: string;
  "x-accepted-scopes"?: string[];
};

let operations: { method: string; path: string; op: ScopedOperation }[];

beforeAll(async () => {
  services = await publicTestServices();
  const app = createApp(services);
  const document = await openApiDocument(await app.request("/public/v1/openapi.json"));
  operations = operationsOf(document).map(({ method, path, operation }) => ({
    method: method.toUpperCase(),
    path: path.replace(/^\/public\/v1/, ""),
    op: operation as ScopedOperation,
  }));
});
afterAll(() => services.close());

describe("docs/public-api.md's scope table", () => {
  const rows = () => table(doc("public-api.md"), "| scope | routes | also granted by |");
  const rowOf = (scope: string) => rows().find((r) => r[0] === `\`${scope}\``);

  it("has a row for every fine-grained scope, naming the broad scope that also grants it", () => {
    for (const scope of SCOPES.filter((s) => s.includes(":"))) {
      const row = rowOf(scope);
      expect(row, scope).toBeDefined();
      expect(row![2]).toBe(`\`${SCOPE_REGISTRY[scope].kind}\``);
    }
  });

  it("states the required scope of every operation of the OpenAPI document", () => {
    for (const { method, path, op } of operations) {
      const scope = op["x-required-scope"];
      // Open: the document itself, and GitHub's reports (signed by GitHub, not sent with a key).
      if (!op.security?.length) continue;
      const row = scope ? rowOf(scope) : rows().find((r) => r[0] === "(any valid key)");
      expect(row, `${method} ${path}`).toBeDefined();
      expect(
        mentions(row![1]!).some((m) => covers(m, method, path)),
        `${method} ${path} under ${scope ?? "(any valid key)"}`,
      ).toBe(true);
    }
  });

  it("names no route under a scope that does not grant it", () => {
    for (const row of rows()) {
      const scope = row[0]!.replaceAll("`", "");
      for (const m of mentions(row[1]!)) {
        const matching = operations.filter((o) => covers(m, o.method, o.path));
        expect(matching.length, `${m.method ?? "*"} ${m.path} is an operation`).toBeGreaterThan(0);
        for (const { op, method, path } of matching) {
          const accepted = op["x-accepted-scopes"] ?? [];
          if (scope === "(any valid key)") expect(accepted, `${method} ${path}`).toEqual([]);
          else expect(accepted, `${method} ${path}`).toContain(scope);
        }
      }
    }
  });
});

describe("docs/dashboard-api.md's scopes of a new key", () => {
  it("lists every scope, in the order an invalid one's message lists them", () => {
    const rows = table(doc("dashboard-api.md"), "| scope | lets the key |");
    expect(rows.map((r) => r[0]!.replaceAll("`", ""))).toEqual([...SCOPES]);
  });
});
