import { mintToken } from "@apf/auth";
import { jobs, printers, skus, stockMovements } from "@apf/db";
import { revokeAgent } from "@apf/db/queries";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createAgent, createOrganization } from "../support/factories.ts";
import { createTestServices, type TestClock, type TestServices } from "../support/services.ts";
import { machine, report } from "./report-builder.ts";

let services: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let token: string;
let agentId: string;

beforeAll(async () => {
  // Each test's client address is its own (X-Real-IP), so failed-auth counts do not mix.
  services = await createTestServices({ env: { TRUST_PROXY: "x-real-ip" } });
  app = createApp(services);
});
afterAll(async () => {
  await services.close();
});
beforeEach(async () => {
  const { organization } = await createOrganization(services.db);
  orgId = organization.id;
  const agent = await createAgent(services.db, orgId);
  token = agent.token;
  agentId = agent.id;
});

function post(body: unknown, auth: string | null = token, raw?: string, ip = "192.0.2.1") {
  const headers: Record<string, string> = { "content-type": "application/json", "x-real-ip": ip };
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  return app.request("/agent/v1/reports", {
    method: "POST",
    headers,
    body: raw ?? JSON.stringify(body),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the tests poke into OctoPrint's loose bodies
type Loose = any;

const t = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s)).toISOString();

async function printerRows() {
  return services.db.select().from(printers).where(eq(printers.organizationId, orgId));
}
async function jobRows() {
  return services.db.select().from(jobs).where(eq(jobs.organizationId, orgId));
}

describe("POST /agent/v1/reports authentication", () => {
  it("answers UNAUTHORIZED without a Bearer token", async () => {
    const res = await post(report([]), null);
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("UNAUTHORIZED");
  });

  it("answers TOKEN_INVALID for a malformed token, an API key, and an unknown agent token", async () => {
    for (const bad of ["apf_agent_123", mintToken("live").token, mintToken("agent").token]) {
      const res = await post(report([]), bad);
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe("TOKEN_INVALID");
    }
  });

  it("answers TOKEN_REVOKED on the next report after the agent is revoked", async () => {
    expect((await post(report([]))).status).toBe(202);
    await revokeAgent(services.db, orgId, agentId, new Date());
    const res = await post(report([]));
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("TOKEN_REVOKED");
  });
});

describe("POST /agent/v1/reports failed-auth limit", () => {
  it("answers RATE_LIMITED with Retry-After after 30 failed authentications from one address, while a valid token still works", async () => {
    const unknown = mintToken("agent").token;
    const codes: string[] = [];
    const ip = "203.0.113.7";
    for (let i = 0; i < 30; i++) {
      codes.push((await (await post(report([]), unknown, undefined, ip)).json()).code);
    }
    expect(codes).toEqual(Array(30).fill("TOKEN_INVALID"));
    const limited = await post(report([]), unknown, undefined, ip);
    expect(limited.status).toBe(429);
    expect((await limited.json()).code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await post(report([]), token, undefined, ip)).status).toBe(202);
  });
});

describe("POST /agent/v1/reports validation", () => {
  it("answers 400 naming the offending path and applies nothing of the report", async () => {
    const good = machine({ machineId: "good", observedAt: t(1) });
    const bad = machine({ machineId: "bad", observedAt: t(1) }) as unknown as {
      octoprint: { printer: { temperature: { tool0: { actual: unknown } } } };
    };
    bad.octoprint.printer.temperature.tool0.actual = "hot";
    const res = await post(report([good, bad]));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe("INVALID_REQUEST");
    expect(body.error).toContain("machines.1.octoprint.printer.temperature.tool0.actual");
    expect(body.path).toBe("machines.1.octoprint.printer.temperature.tool0.actual");
    expect(body.machine_index).toBe(1);
    expect(await printerRows()).toHaveLength(0);
  });

  it("gives machine_index null when the problem is outside the machines", async () => {
    const body = { ...report([machine({ observedAt: t(1) })]), sent_at: "yesterday" };
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: "INVALID_REQUEST",
      path: "sent_at",
      machine_index: null,
    });
  });

  it("answers machine_index null for a problem of the report itself", async () => {
    const res = await post({
      ...report([machine({ machineId: "m", observedAt: t(1) })]),
      agent: 5,
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ code: "INVALID_REQUEST", machine_index: null });
    expect(typeof body.path).toBe("string");
    expect(body.path.startsWith("machines")).toBe(false);
  });

  it("answers 400 for a machine id with a control character, and stores a broken host's values safely", async () => {
    const nul = await post(report([machine({ machineId: "nul\u0000id", observedAt: t(1) })]));
    expect(nul.status).toBe(400);
    expect((await nul.json()).error).toContain("machines.0.machine_id");

    const odd = machine({
      machineId: "odd",
      observedAt: t(1),
      flags: { printing: true },
      file: "f.gcode",
      completion: 5,
    }) as unknown as {
      octoprint: { job: { progress: { printTime: number }; job: { estimatedPrintTime: number } } };
    };
    odd.octoprint.job.progress.printTime = 1e300;
    odd.octoprint.job.job.estimatedPrintTime = 1e12;
    const res = await post(report([odd]));
    expect(res.status).toBe(202);
    const [job] = await jobRows();
    expect(job).toMatchObject({
      fileName: "f.gcode",
      estimatedPrintTimeMinutes: null,
      status: "printing",
    });
  });

  it("answers 400 naming the path of a NUL or control character anywhere in the report, OctoPrint's bodies included", async () => {
    const cases: [string, (m: Loose) => void][] = [
      [
        "machines.1.octoprint.job.job.file.name",
        (m) => (m.octoprint.job.job.file.name = "f\u0000.gcode"),
      ],
      [
        "machines.1.octoprint.printer.state.text",
        (m) => (m.octoprint.printer.state.text = "Op\u0007"),
      ],
      ["machines.1.octoprint.version.text", (m) => (m.octoprint.version.text = "x\u001by")],
      [
        "machines.1.octoprint.printer.plugin\u0000key",
        (m) => (m.octoprint.printer["plugin\u0000key"] = 1),
      ],
    ];
    for (const [path, spoil] of cases) {
      // (a deep copy: the builder shares OctoPrint's fixture bodies between machines)
      const bad: Loose = structuredClone(machine({ machineId: "bad", observedAt: t(1) }));
      spoil(bad);
      const res = await post(report([machine({ machineId: "good", observedAt: t(1) }), bad]));
      expect(res.status, path).toBe(400);
      const body = await res.json();
      expect(body.code).toBe("INVALID_REQUEST");
      expect(body.error).toContain(`"${path}"`);
      expect(body).toMatchObject({ path, machine_index: 1 });
    }
    const agentName = await post({ ...report([]), agent: { version: "1\u0000", hostname: "pi" } });
    expect((await agentName.json()).error).toContain('"agent.version"');
    expect(await printerRows()).toHaveLength(0);

    // A multi-line OctoPrint error text is still text.
    const multiLine: Loose = structuredClone(machine({ machineId: "ml", observedAt: t(1) }));
    multiLine.octoprint.printer.state.text = "Error:\n\tthermal runaway\r\n";
    expect((await post(report([multiLine]))).status).toBe(202);
  });

  it("stores a lone surrogate (a non-UTF-8 file name of a Python host) as U+FFFD, never refusing the farm's report", async () => {
    const odd: Loose = structuredClone(
      machine({
        machineId: "caf\udce9-host",
        observedAt: t(1),
        flags: { printing: true },
        file: "caf\udce9.gcode",
        completion: 5,
      }),
    );
    odd.octoprint.printer["plugin\ud800"] = { note: "\udfff" };
    const raw = JSON.stringify(report([odd, machine({ machineId: "plain", observedAt: t(1) })]));
    // As such a host's agent sends it: the escape, not a character.
    expect(raw).toContain("caf\\udce9.gcode");
    const res = await post(undefined, token, raw);
    expect(res.status).toBe(202);
    expect((await res.json()).data).toMatchObject({ machines: 2, applied: 2 });
    const names = (await printerRows()).map((p) => p.machineId).sort();
    expect(names).toEqual(["caf\ufffd-host", "plain"]);
    const [job] = await jobRows();
    expect(job!.fileName).toBe("caf\ufffd.gcode");
  });

  it("answers 400 naming the path of a date before 2000", async () => {
    const old = await post(report([machine({ observedAt: "1999-12-31T23:59:59Z" })]));
    expect(old.status).toBe(400);
    expect((await old.json()).error).toContain('"machines.0.observed_at"');
    const oldSent = await post(report([], "1970-01-01T00:00:00Z"));
    expect(oldSent.status).toBe(400);
    expect((await oldSent.json()).error).toContain('"sent_at"');
    expect(await printerRows()).toHaveLength(0);
    expect((await post(report([machine({ observedAt: "2000-01-01T00:00:00Z" })]))).status).toBe(
      202,
    );
  });

  it("answers 400 for a printer with more than 16 heaters, and accepts 16", async () => {
    const withHeaters = (n: number) => {
      const m: Loose = structuredClone(machine({ machineId: `h${n}`, observedAt: t(1) }));
      const temperature: Record<string, unknown> = { bed: { actual: 60, target: 60 } };
      for (let i = 0; i < n - 1; i++) temperature[`tool${i}`] = { actual: 200, target: 210 };
      m.octoprint.printer.temperature = temperature;
      return m;
    };
    const res = await post(report([withHeaters(17)]));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toContain('"machines.0.octoprint.printer.temperature"');
    expect(body.error).toContain("16 heaters");
    expect(await printerRows()).toHaveLength(0);
    expect((await post(report([withHeaters(16)]))).status).toBe(202);
  });

  it("answers 409 when a report would give the agent more than 1,000 printers, and keeps accepting its known ones", async () => {
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        machine({ machineId: `m${from + i}`, observedAt: t(1), reachable: false }),
      );
    expect((await post(report(batch(0, 600)))).status).toBe(202);
    const over = await post(report(batch(600, 401)));
    expect(over.status).toBe(409);
    const body = await over.json();
    expect(body.code).toBe("CONFLICT");
    expect(body.error).toContain("1000 printers");
    expect(await printerRows()).toHaveLength(600);
    expect((await post(report(batch(600, 400)))).status).toBe(202);
    const known = batch(0, 1000).map((m) => ({ ...m, observed_at: t(2) }));
    expect((await post(report(known))).status).toBe(202);
    expect((await post(report(batch(1000, 1)))).status).toBe(409);
    expect(await printerRows()).toHaveLength(1000);
  });

  it("answers 400 for a body that is not JSON and 415 for another content type", async () => {
    expect((await post(null, token, "{nope")).status).toBe(400);
    const res = await app.request("/agent/v1/reports", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
      body: "{}",
    });
    expect(res.status).toBe(415);
  });

  it("answers 413 for more than 1,000 machines or more than 5 MiB", async () => {
    const many = Array.from({ length: 1001 }, (_, i) =>
      machine({ machineId: `m${i}`, observedAt: t(1), reachable: false }),
    );
    const res = await post(report(many));
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe("PAYLOAD_TOO_LARGE");
    const huge = JSON.stringify(
      report([{ ...machine({ observedAt: t(1) }), padding: "x".repeat(5 * 1024 * 1024) }]),
    );
    expect((await post(null, token, huge)).status).toBe(413);
    expect(await printerRows()).toHaveLength(0);
  });
});

describe("POST /agent/v1/reports state", () => {
  it("creates a printer from the documented OctoPrint bodies, with its temperatures", async () => {
    const res = await post(
      report([
        machine({
          machineId: "octo-1",
          observedAt: t(1),
          flags: { printing: true },
          file: "whistle_v2.gcode",
          completion: 22.98,
        }),
      ]),
    );
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.data).toMatchObject({
      machines: 1,
      applied: 1,
      printers_created: 1,
      jobs_opened: 1,
    });
    const [printer] = await printerRows();
    expect(printer).toMatchObject({
      machineId: "octo-1",
      status: "printing",
      reachable: true,
      sourceVersion: "1.3.10",
      progressPercentage: 22.98,
    });
    expect(printer!.temperatures).toEqual({
      tool0: { actual: 214.8821, target: 220 },
      tool1: { actual: 25.3, target: null },
      bed: { actual: 50.221, target: 70 },
    });
    const [job] = await jobRows();
    expect(job).toMatchObject({
      status: "printing",
      fileName: "whistle_v2.gcode",
      printerId: printer!.id,
    });
    expect(printer!.currentJobId).toBe(job!.id);
  });

  it("never lets a late report overwrite newer state", async () => {
    await post(
      report([
        machine({
          observedAt: t(10),
          flags: { paused: true, printing: false },
          file: "a.gcode",
          completion: 50,
        }),
      ]),
    );
    const late = await post(
      report([
        machine({ observedAt: t(5), flags: { printing: true }, file: "a.gcode", completion: 40 }),
      ]),
    );
    expect((await late.json()).data).toMatchObject({ applied: 0, ignored_stale: 1 });
    const [printer] = await printerRows();
    expect(printer!.status).toBe("paused");
    expect(printer!.progressPercentage).toBe(50);
  });

  it("updates known printers, creates new ones and skips stale ones in the same report", async () => {
    await post(
      report([
        machine({ machineId: "known", observedAt: t(1) }),
        machine({ machineId: "stale", observedAt: t(2), flags: { paused: true } }),
      ]),
    );
    const known = machine({ machineId: "known", observedAt: t(3), flags: { printing: true } });
    (known as Loose).octoprint.printer.temperature.bed.actual = 61.5;
    const res = await post(
      report([
        known,
        machine({ machineId: "stale", observedAt: t(1), flags: { printing: true } }),
        machine({ machineId: "new", observedAt: t(3), flags: { error: true } }),
      ]),
    );
    expect((await res.json()).data).toMatchObject({
      machines: 3,
      applied: 2,
      ignored_stale: 1,
      printers_created: 1,
    });
    const rows = new Map((await printerRows()).map((p) => [p.machineId, p]));
    expect(rows.size).toBe(3);
    expect(rows.get("known")).toMatchObject({ status: "printing", observedAt: new Date(t(3)) });
    expect(rows.get("known")!.temperatures.bed).toEqual({ actual: 61.5, target: 70 });
    expect(rows.get("stale")).toMatchObject({ status: "paused", observedAt: new Date(t(2)) });
    expect(rows.get("new")).toMatchObject({ status: "error", observedAt: new Date(t(3)) });
  });

  it("records the agent's last_seen_at", async () => {
    await post(report([]));
    const agents = await services.db.query.agents.findFirst({
      where: (a, { eq }) => eq(a.id, agentId),
    });
    expect(agents!.lastSeenAt).toEqual((services.clock as TestClock).now());
    expect(agents!.hostname).toBe("farm-pi");
  });
});

describe("job lifecycle and stock", () => {
  async function createSku(printFileName: string, unitsPerPrint = 4) {
    const [sku] = await services.db
      .insert(skus)
      .values({
        organizationId: orgId,
        sku: `SKU-${Math.random()}`,
        productName: "Whistle",
        printFileName,
        unitsPerPrint,
      })
      .returning();
    return sku!;
  }

  it("opens, updates and completes a job, and counts its units into the SKU once even if the report is sent twice", async () => {
    const sku = await createSku("whistle_v2.gcode", 4);
    await post(
      report([
        machine({
          observedAt: t(1),
          flags: { printing: true },
          file: "whistle_v2.gcode",
          completion: 10,
        }),
      ]),
    );
    await post(
      report([
        machine({
          observedAt: t(2),
          flags: { printing: true },
          file: "whistle_v2.gcode",
          completion: 60,
        }),
      ]),
    );
    let [job] = await jobRows();
    expect(job).toMatchObject({
      status: "printing",
      progressPercentage: 60,
      productSkuId: sku.id,
      numberOfUnits: 4,
    });

    const done = report([
      machine({ observedAt: t(3), flags: {}, file: "whistle_v2.gcode", completion: 100 }),
    ]);
    const first = await post(done);
    expect((await first.json()).data).toMatchObject({ jobs_closed: 1, units_counted: 4 });
    const again = await post(done);
    expect((await again.json()).data).toMatchObject({ ignored_stale: 1, units_counted: 0 });
    await post(
      report([machine({ observedAt: t(4), flags: {}, file: "whistle_v2.gcode", completion: 100 })]),
    );

    [job] = await jobRows();
    expect(job).toMatchObject({ status: "completed", progressPercentage: 100 });
    expect(job!.timeCompleted?.toISOString()).toBe(t(3));
    const [after] = await services.db.select().from(skus).where(eq(skus.id, sku.id));
    expect(after!.readyStock).toBe(4);
    const movements = await services.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.skuId, sku.id));
    expect(movements).toHaveLength(1);
    const [printer] = await printerRows();
    expect(printer!.currentJobId).toBeNull();
    expect(printer!.status).toBe("idle");
  });

  it("leaves a running job's row as it is when a report changes nothing of it, and updates it when its progress moves", async () => {
    const printing = (s: number, completion: number) =>
      report([
        machine({ observedAt: t(s), flags: { printing: true }, file: "hook.gcode", completion }),
      ]);
    expect((await post(printing(1, 10))).status).toBe(202);
    const [opened] = await jobRows();
    expect((await post(printing(2, 10))).status).toBe(202);
    const [same] = await jobRows();
    expect(same!.updatedAt.getTime()).toBe(opened!.updatedAt.getTime());
    expect(same!.progressPercentage).toBe(10);
    expect((await post(printing(3, 20))).status).toBe(202);
    const [moved] = await jobRows();
    expect(moved!.progressPercentage).toBe(20);
    expect(moved!.updatedAt.getTime()).toBeGreaterThan(opened!.updatedAt.getTime());
  });

  it("closes a job as cancelled after OctoPrint's cancelling, and as failed on an error", async () => {
    await post(
      report([
        machine({
          machineId: "c",
          observedAt: t(1),
          flags: { printing: true },
          file: "x.gcode",
          completion: 30,
        }),
      ]),
    );
    await post(
      report([
        machine({
          machineId: "c",
          observedAt: t(2),
          flags: { printing: true, cancelling: true },
          file: "x.gcode",
          completion: 31,
        }),
      ]),
    );
    await post(
      report([
        machine({ machineId: "c", observedAt: t(3), flags: {}, file: "x.gcode", completion: null }),
      ]),
    );
    await post(
      report([
        machine({
          machineId: "e",
          observedAt: t(1),
          flags: { printing: true },
          file: "y.gcode",
          completion: 30,
        }),
      ]),
    );
    await post(
      report([
        machine({
          machineId: "e",
          observedAt: t(2),
          flags: { error: true, closedOrError: true, operational: false },
          file: "y.gcode",
          completion: 30,
        }),
      ]),
    );
    const rows = await jobRows();
    const byFile = Object.fromEntries(rows.map((j) => [j.fileName, j]));
    expect(byFile["x.gcode"]).toMatchObject({ status: "cancelled" });
    expect(byFile["y.gcode"]).toMatchObject({ status: "failed" });
    expect(byFile["y.gcode"]!.failureReason).toBeTruthy();
  });

  it("keeps a job open while the host is unreachable", async () => {
    await post(
      report([
        machine({ observedAt: t(1), flags: { printing: true }, file: "z.gcode", completion: 30 }),
      ]),
    );
    await post(report([machine({ observedAt: t(2), reachable: false })]));
    const [job] = await jobRows();
    expect(job!.status).toBe("printing");
    const [printer] = await printerRows();
    expect(printer).toMatchObject({ status: "offline", reachable: false });
  });

  it("applies a report of many machines in one go", async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      machine({
        machineId: `m${i}`,
        observedAt: t(1),
        flags: { printing: true },
        file: `f${i}.gcode`,
        completion: i / 3,
      }),
    );
    const res = await post(report(many));
    expect((await res.json()).data).toMatchObject({
      applied: 300,
      printers_created: 300,
      jobs_opened: 300,
    });
    expect(await printerRows()).toHaveLength(300);
  });
});
