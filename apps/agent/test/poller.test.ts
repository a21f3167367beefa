import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { normalizeUrl } from "@apf/agent-core/machine-identity";
import { createPoller } from "@apf/agent-core/poller";
import { fileSecret, inlineSecret, type SecretProvider } from "@apf/agent-core/secret-provider";
import { afterEach, describe, expect, it } from "vitest";
import type { MachineConfig } from "../src/config.ts";
import { type FakeOctoPrint, FIXTURES, startFakeOctoPrint } from "./helpers/fake-octoprint.ts";
import { unusedPort } from "./helpers/http-fake.ts";
import { memoryLogger } from "./helpers/memory-logger.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const KEY = "ABCDEF0123456789ABCDEF0123456789";
const NOW = Date.parse("2026-11-23T10:00:04.120Z");
const fakes: FakeOctoPrint[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeHost(key = KEY): Promise<FakeOctoPrint> {
  const fake = await startFakeOctoPrint(key);
  fakes.push(fake);
  return fake;
}

function machineFor(
  baseUrl: string,
  apiKey: SecretProvider = inlineSecret(KEY),
  name?: string,
): MachineConfig {
  const url = normalizeUrl(baseUrl);
  const id = name ?? url;
  return { id, name: id, type: "OCTOPRINT", url, baseUrl, apiKey, label: "machines[0]" };
}

function poller(machines: MachineConfig[], requestTimeoutMs = 2000) {
  const { logger, lines, raw } = memoryLogger();
  return {
    poller: createPoller({ machines, requestTimeoutMs, logger, now: () => NOW }),
    lines,
    raw,
  };
}

describe("createPoller", () => {
  it("builds the report entry of agent.md from OctoPrint's answers", async () => {
    const fake = await fakeHost();
    const { poller: p } = poller([machineFor(fake.url, inlineSecret(KEY), "my_octoprint_machine")]);
    expect(await p.pollRound()).toEqual([
      {
        machine_id: "my_octoprint_machine",
        name: "my_octoprint_machine",
        type: "OCTOPRINT",
        url: fake.url,
        observed_at: "2026-11-23T10:00:04.120Z",
        reachable: true,
        error: null,
        octoprint: {
          version: FIXTURES.version,
          printer_http_status: 200,
          printer: FIXTURES.printer,
          job: FIXTURES.job,
          filament: null,
        },
      },
    ]);
  });

  it("asks for /api/version once, not every round", async () => {
    const fake = await fakeHost();
    const { poller: p } = poller([machineFor(fake.url)]);
    for (let i = 0; i < 3; i += 1) await p.pollRound();
    expect([
      fake.count("/api/version"),
      fake.count("/api/printer"),
      fake.count("/api/job"),
    ]).toEqual([1, 3, 3]);
  });

  it("reports 409 as printer_http_status 409 with printer null, host reachable", async () => {
    const fake = await fakeHost();
    fake.disconnected = true;
    const { poller: p, lines } = poller([machineFor(fake.url)]);
    const [entry] = await p.pollRound();
    expect(entry).toMatchObject({ reachable: true, error: null });
    expect(entry?.octoprint).toEqual({
      version: FIXTURES.version,
      printer_http_status: 409,
      printer: null,
      job: FIXTURES.job,
      filament: null,
    });
    expect(
      lines.filter(
        (l) => l.msg === "printer not operational (OctoPrint has no printer connection)",
      ),
    ).toHaveLength(1);
  });

  it("reports a refused key as reachable with an auth error", async () => {
    const fake = await fakeHost("SOME-OTHER-KEY");
    const { poller: p, lines } = poller([machineFor(fake.url)]);
    const [entry] = await p.pollRound();
    await p.pollRound();
    expect(entry).toMatchObject({
      reachable: true,
      error: "octoprint key refused",
      octoprint: {
        version: null,
        printer_http_status: 403,
        printer: null,
        job: null,
        filament: null,
      },
    });
    // one line when the condition starts, not one per round
    expect(lines.filter((l) => String(l.msg).startsWith("OctoPrint refused the key"))).toHaveLength(
      1,
    );
  });

  it("re-reads the key file after a 403 and uses a fixed key in the same round", async () => {
    const fake = await fakeHost();
    const dir = await tempDir({ "secret.txt": "WRONG-KEY-0000000000" });
    const secret = await fileSecret(join(dir, "secret.txt"));
    const { poller: p, raw } = poller([machineFor(fake.url, secret)]);
    expect((await p.pollRound())[0]?.error).toBe("octoprint key refused");
    await writeFile(join(dir, "secret.txt"), `${KEY}\n`);
    const [entry] = await p.pollRound();
    expect(entry).toMatchObject({
      reachable: true,
      error: null,
      octoprint: { printer_http_status: 200 },
    });
    expect(raw.join("")).not.toContain(KEY);
    expect(raw.join("")).not.toContain("WRONG-KEY-0000000000");
  });

  it("reports a refused connection as unreachable with octoprint null", async () => {
    const port = await unusedPort();
    const { poller: p } = poller([machineFor(`http://127.0.0.1:${port}`)]);
    expect(await p.pollRound()).toEqual([
      {
        machine_id: `http://127.0.0.1:${port}`,
        name: `http://127.0.0.1:${port}`,
        type: "OCTOPRINT",
        url: `http://127.0.0.1:${port}`,
        observed_at: "2026-11-23T10:00:04.120Z",
        reachable: false,
        error: "connection refused (ECONNREFUSED)",
        octoprint: null,
      },
    ]);
  });

  it("asks for the version again after the host was unreachable", async () => {
    const fake = await fakeHost();
    const { poller: p } = poller([machineFor(fake.url)], 150);
    await p.pollRound();
    fake.delayMs = 1000;
    expect((await p.pollRound())[0]).toMatchObject({
      reachable: false,
      error: "timed out after 0.15 s",
      octoprint: null,
    });
    fake.delayMs = 0;
    expect((await p.pollRound())[0]).toMatchObject({ reachable: true, error: null });
    expect(fake.count("/api/version")).toBe(2);
  });

  it("polls machines independently: one dead host does not hide the others", async () => {
    const [a, b] = [await fakeHost(), await fakeHost()];
    const dead = `http://127.0.0.1:${await unusedPort()}`;
    const { poller: p } = poller([machineFor(a.url), machineFor(dead), machineFor(b.url)]);
    const entries = await p.pollRound();
    expect(entries.map((e) => [e.url, e.reachable])).toEqual([
      [a.url, true],
      [dead, false],
      [b.url, true],
    ]);
  });
});
