import { expect } from "vitest";
import type {
  components,
  operations,
} from "../../../dashboard/src/client/api/dashboard-api.generated.ts";

// The /api answers a test reads, typed as the dashboard's generated client types say
// (npm run generate:dashboard-api): a test cannot read a field the documented answer lacks.
// Same shape as the /public/v1 helpers (../public/helpers.ts), keyed by operationId.

/** An operation of /api, by its operationId, e.g. "dashboardListPrinters". */
export type DashboardOperation = keyof operations;

type JsonContent<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Responses<O extends DashboardOperation> = operations[O]["responses"];

/** The JSON an operation answers when it succeeds (its 200, 201 or 202); of each, for a union. */
export type AnswerOf<O extends DashboardOperation> = O extends DashboardOperation
  ? JsonContent<Responses<O>[Extract<keyof Responses<O>, 200 | 201 | 202>]>
  : never;

/** The `data` of an operation's success envelope. */
export type DataOf<O extends DashboardOperation> =
  AnswerOf<O> extends { data: infer D } ? D : never;

/** The error envelope of any failure. */
export type ErrorAnswer = components["schemas"]["Error"];

/** What `call` returns: the status and the parsed JSON body (null when there is none). */
export interface Called {
  status: number;
  body: unknown;
}

/** The body of a successful answer of `operation`, typed as documented; fails the test on a non-2xx. */
export function answer<O extends DashboardOperation>(res: Called, _operation: O): AnswerOf<O> {
  expect(res.status, "a 2xx answer").toBeLessThan(300);
  return res.body as AnswerOf<O>;
}

/** The `data` of a successful answer of `operation`, typed as documented. */
export function dataOf<O extends DashboardOperation>(res: Called, operation: O): DataOf<O> {
  return (answer(res, operation) as { data: DataOf<O> }).data;
}

/** The error envelope of a failed answer; fails the test on a 2xx or 3xx. */
export function failure(res: Called): ErrorAnswer {
  expect(res.status, "a 4xx or 5xx answer").toBeGreaterThanOrEqual(400);
  return res.body as ErrorAnswer;
}
