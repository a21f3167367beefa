import type {
  OpenAPI3,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from "openapi-typescript";
import { expect } from "vitest";
import { isJsonObject } from "./fixtures.ts";

export type { OpenAPI3, OperationObject };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** A parsed OpenAPI document (an answer of GET …/openapi.json). */
export async function openApiDocument(res: Response): Promise<OpenAPI3> {
  const document: unknown = await res.json();
  expect(isJsonObject(document) && typeof document.openapi === "string").toBe(true);
  return document as OpenAPI3;
}

const isReference = (value: unknown): value is ReferenceObject =>
  isJsonObject(value) && typeof value.$ref === "string";

/** `node`, or what its local `$ref` (`#/components/…`) points at in `document`. */
export function resolve<T>(document: OpenAPI3, node: T | ReferenceObject): T {
  if (!isReference(node)) return node;
  let at: unknown = document;
  for (const name of node.$ref.replace(/^#\//, "").split("/")) {
    at = isJsonObject(at) ? at[name] : undefined;
  }
  expect(at, node.$ref).toBeDefined();
  return at as T;
}

/** Every operation of the document, with its method and path. */
export function operations(document: OpenAPI3) {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = resolve(document, item)[method];
      return operation ? [{ method, path, operation: resolve(document, operation) }] : [];
    }),
  );
}

/** The operation at `method path`; fails the test when there is none. */
export function operationAt(document: OpenAPI3, path: string, method = "GET"): OperationObject {
  const found = operations(document).find(
    (o) => o.path === path && o.method === method.toLowerCase(),
  );
  expect(found, `${method} ${path}`).toBeDefined();
  return found!.operation;
}

/** An operation's parameters, references followed. */
export function parametersOf(document: OpenAPI3, operation: OperationObject): ParameterObject[] {
  return (operation.parameters ?? []).map((p) => resolve(document, p));
}

/** A parameter's schema, references followed. */
export function schemaOf(document: OpenAPI3, parameter: ParameterObject): SchemaObject {
  expect(parameter.schema, parameter.name).toBeDefined();
  return resolve(document, parameter.schema!);
}
