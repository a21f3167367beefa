import type { paths } from "./dashboard-api.generated.ts";

type Method = "get" | "post" | "patch" | "put" | "delete";

/** The JSON body of a route's success answer (200 or 201), as the API documents it. */
export type Answer<P extends keyof paths, M extends Method = "get"> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { "application/json": infer T } } }
    ? T
    : R extends { 201: { content: { "application/json": infer T } } }
      ? T
      : never
  : never;

/** The JSON request body of a route. */
export type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer T } };
}
  ? T
  : never;

export type Me = Answer<"/me">["data"];
export type Membership = Me["memberships"][number];
export type Role = Membership["role"];
export type Printer = Answer<"/orgs/{orgId}/printers">["data"][number];
export type Job = Answer<"/orgs/{orgId}/jobs">["data"][number];
