import { jobFixture, printerFixture, versionFixture } from "@apf/printers/testing";
import { type FakeReply, type FakeServer, startFakeServer } from "./http-fake.ts";

/** OctoPrint's documented example bodies. */
export const FIXTURES = {
  version: versionFixture(),
  printer: printerFixture(),
  job: jobFixture(),
};

/** Knobs of a fake OctoPrint host. */
export interface FakeOctoPrint extends FakeServer {
  key: string;
  /** `true` answers 409 on /api/printer, as OctoPrint does without a serial connection. */
  disconnected: boolean;
  /** Holds every answer back this long. */
  delayMs: number;
  count(path: string): number;
}

/** A fake OctoPrint answering the fixtures, 403 for a wrong X-Api-Key, 409 when disconnected. */
export async function startFakeOctoPrint(
  key = "ABCDEF0123456789ABCDEF0123456789",
): Promise<FakeOctoPrint> {
  let fake: FakeOctoPrint;
  const server = await startFakeServer((req): FakeReply => {
    const delayMs = fake.delayMs;
    if (req.headers["x-api-key"] !== fake.key)
      return { status: 403, body: { error: "Forbidden" }, delayMs };
    const path = req.path.replace(/\?.*$/, "").replace(/^\/octoprint(?=\/)/, "");
    if (path === "/api/version") return { status: 200, body: FIXTURES.version, delayMs };
    if (path === "/api/job") return { status: 200, body: FIXTURES.job, delayMs };
    if (path === "/api/printer") {
      if (fake.disconnected)
        return { status: 409, body: { error: "Printer is not operational" }, delayMs };
      return { status: 200, body: FIXTURES.printer, delayMs };
    }
    return { status: 404, body: { error: "Not Found" }, delayMs };
  });
  fake = Object.assign(server, {
    key,
    disconnected: false,
    delayMs: 0,
    count: (path: string) => server.requests.filter((r) => r.path.endsWith(path)).length,
  });
  return fake;
}
