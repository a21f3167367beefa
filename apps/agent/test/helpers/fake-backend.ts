import type { ReportBody } from "@apf/agent-core/report-types";
import {
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "./http-fake.ts";

/** A stand-in for `POST /agent/v1/reports` that keeps every report it accepted. */
export interface FakeBackend extends FakeServer {
  /** Bodies of the reports answered 2xx, in order. */
  accepted: ReportBody[];
  /** Decides the answer; default 202. */
  respond: (req: RecordedRequest, body: ReportBody) => FakeReply;
}

/** Starts the fake backend; `port` brings it up on a known port (a backend "coming back"). */
export async function startFakeBackend(port = 0): Promise<FakeBackend> {
  let backend: FakeBackend;
  const server = await startFakeServer((req) => {
    if (req.method !== "POST" || req.path !== "/agent/v1/reports")
      return { status: 404, body: { success: false, code: "NOT_FOUND" } };
    const body = JSON.parse(req.body) as ReportBody;
    const reply = backend.respond(req, body);
    if (reply.status >= 200 && reply.status < 300) backend.accepted.push(body);
    return reply;
  }, port);
  backend = Object.assign(server, {
    accepted: [] as ReportBody[],
    respond: (): FakeReply => ({ status: 202, body: { success: true } }),
  });
  return backend;
}

/** The backend's error envelope. */
export function envelope(
  status: number,
  code: string,
  error: string,
  headers?: Record<string, string>,
  fields: Record<string, unknown> = {},
): FakeReply {
  return {
    status,
    body: { ...fields, success: false, code, error, request_id: "req_test" },
    ...(headers ? { headers } : {}),
  };
}
