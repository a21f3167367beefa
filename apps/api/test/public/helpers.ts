import { randomBytes } from "node:crypto";
import { organizations } from "@apf/db";
import { createTestDatabase } from "@apf/db/testing";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { createApp } from "../../src/app.ts";
import { REVALIDATE_MS } from "../../src/platform/org-changes.ts";
import { createApiKey, createOrganization } from "../support/factories.ts";
import { createTestServices, type TestServicesOptions } from "../support/services.ts";
import type { components, operations } from "./client/public-api.generated.ts";
import { isJsonObject, type JsonObject } from "./fixtures.ts";

export type TestApp = ReturnType<typeof createApp>;

let ipCounter = 0;
/** A client address no other request of this file used: keeps failed-auth counts apart. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface CallOptions {
  key?: string;
  ip?: string;
  headers?: Record<string, string>;
  method?: string;
  /** Sent as JSON (with its content type) unless a string, which is sent as it is. */
  json?: unknown;
}

/** A request as an integrator makes it: Bearer key, and a client address of its own. */
export function call(app: TestApp, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = {
    "X-Forwarded-For": options.ip ?? freshIp(),
    ...options.headers,
  };
  if (options.key !== undefined) headers.Authorization = `Bearer ${options.key}`;
  if (options.json === undefined)
    return app.request(path, { method: options.method ?? "GET", headers });
  const raw = typeof options.json === "string" ? options.json : JSON.stringify(options.json);
  return app.request(path, {
    method: options.method ?? "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: raw,
  });
}

/** Services that believe X-Forwarded-For, so each test can pick its client address. */
export function publicTestServices(options: TestServicesOptions = {}) {
  return createTestServices({
    ...options,
    env: { TRUST_PROXY: "x-forwarded-for", ...options.env },
  });
}

/**
 * Two API instances on one database and one Redis namespace, each with its own in-memory state
 * (its app and services are built independently). `options` go to both, e.g. `{ clock }`.
 */
export async function twoInstances(options: TestServicesOptions = {}) {
  const shared = await createTestDatabase();
  const redisPrefix = `apf-test:${randomBytes(6).toString("hex")}`;
  const one = await publicTestServices({ ...options, database: shared, redisPrefix });
  const two = await publicTestServices({ ...options, database: shared, redisPrefix });
  return {
    shared,
    one,
    two,
    appOne: createApp(one),
    appTwo: createApp(two),
    async close() {
      await one.close();
      await two.close();
      await shared.close();
    },
  };
}

// Well inside REVALIDATE_MS: a change shows because it was announced, not because time passed.
export const BEFORE_REVALIDATION = { timeout: REVALIDATE_MS / 2, interval: 20 };

/** A fresh organization with a key holding every scope. */
export async function tenant(db: Parameters<typeof createOrganization>[0], name = "Farm") {
  const { organization, owner } = await createOrganization(db, name);
  const key = await createApiKey(db, organization.id);
  return { organization, owner, key: key.key, keyRow: key };
}

/** Sets an organization's CORS origins directly (the dashboard route belongs to another team). */
export async function setAllowedOrigins(
  db: Parameters<typeof createOrganization>[0],
  organizationId: string,
  origins: string[],
) {
  await db
    .update(organizations)
    .set({ allowedOrigins: origins })
    .where(eq(organizations.id, organizationId));
}

type Schemas = components["schemas"];
type JsonContent<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Responses<O extends Operation> = operations[O]["responses"];

/** An operation of /public/v1, by its operationId. */
export type Operation = keyof operations;

/**
 * The JSON an operation answers when it succeeds (its 200, 201 or 202), as the client types
 * generated from the OpenAPI document say (client/public-api.generated.ts): what an integrator's
 * typed client sees.
 */
export type AnswerOf<O extends Operation> = JsonContent<
  Responses<O>[Extract<keyof Responses<O>, 200 | 201 | 202>]
>;

/** The `data` of an operation's success envelope. */
export type DataOf<O extends Operation> = AnswerOf<O> extends { data: infer D } ? D : never;

/** The error envelope of any failure, any documented code. */
export type ErrorAnswer = Schemas["Error"];

/**
 * A parsed answer whose outcome the test then asserts (helpers that answer both): the fields of
 * the operation's success envelope and of the error envelope, each optional.
 */
export type Reply<O extends Operation> = Partial<AnswerOf<O>> & Partial<ErrorAnswer>;

/** A schema of the document by its component name, e.g. `Schema<"Printer">`. */
export type Schema<N extends keyof Schemas> = Schemas[N];

/** The parsed body of a successful answer of `operation`, typed as the document says. */
export async function answer<O extends Operation>(
  res: Response,
  _operation: O,
): Promise<AnswerOf<O>> {
  return (await res.json()) as AnswerOf<O>;
}

/** The `data` of a successful answer of `operation`, typed as the document says. */
export async function dataOf<O extends Operation>(res: Response, operation: O): Promise<DataOf<O>> {
  return ((await answer(res, operation)) as { data: DataOf<O> }).data;
}

/** The parsed error envelope of a failed request. */
export async function failure(res: Response): Promise<ErrorAnswer> {
  return (await res.json()) as ErrorAnswer;
}

/** `value` as a JSON object, for bodies whose operation varies (a test over every route). */
export function asObject(value: unknown, what = "the value"): JsonObject {
  expect(isJsonObject(value), `${what} is an object`).toBe(true);
  return value as JsonObject;
}

/** `value` as a list of JSON objects. */
export function asObjects(value: unknown, what = "the value"): JsonObject[] {
  expect(Array.isArray(value) && value.every(isJsonObject), `${what} is a list of objects`).toBe(
    true,
  );
  return value as JsonObject[];
}

/** The parsed body of a response, for assertions on its whole shape (toEqual, toMatchObject). */
export async function body(res: Response): Promise<unknown> {
  return res.json();
}
