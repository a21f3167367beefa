import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptedAsIs, plainJsonText } from "../src/report-fast-path.ts";
import { agentReportSchema } from "../src/report-schema.ts";
import { jobFixture, printerFixture, versionFixture } from "../src/testing/octoprint-fixtures.ts";
import { replaceLoneSurrogates } from "../src/well-formed-text.ts";

function machine(i: number) {
  return {
    machine_id: `machine-${i}`,
    name: `Machine ${i}`,
    type: "OCTOPRINT",
    url: `http://192.168.1.${i}:5000`,
    observed_at: "2026-11-23T10:00:04.120Z",
    reachable: true,
    error: null,
    octoprint: {
      version: versionFixture(),
      printer_http_status: 200,
      printer: printerFixture(),
      job: jobFixture(),
      filament: null,
    },
  };
}

function report() {
  return {
    agent: { version: "0.1.0", hostname: "farm-pi" },
    sent_at: "2026-11-23T10:00:05.000Z",
    machines: [
      machine(0),
      { ...machine(1), reachable: false, error: "connect ECONNREFUSED", octoprint: null },
      machine(2),
    ],
  };
}

type Node = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Node => typeof value === "object" && value !== null;

/** Every object and array of a value with the keys it has, depth first. */
function containers(value: unknown, found: Node[] = []): Node[] {
  if (!isContainer(value)) return found;
  found.push(value);
  for (const item of Object.values(value)) containers(item, found);
  return found;
}

/** Values that sit on the edges of what the schemas accept. */
const edgeValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    "",
    "OCTOPRINT",
    ...[50, 200, 255, 500, 2048].flatMap((n) => ["x".repeat(n), "x".repeat(n + 1)]),
    "tab\there",
    "nul\u0000",
    "c1\u0085",
    "1999-12-31T23:59:59Z",
    "2026-02-30T00:00:00Z",
    "2026-11-23T10:00:04+01:00",
    "machine-0",
    99,
    200,
    200.5,
    600,
    -0,
    true,
    null,
    [],
    {},
    { actual: 1 },
    { actual: "hot" },
  ),
);

const mutation = fc.record({
  at: fc.nat(),
  key: fc.oneof(
    fc.constantFrom("tool3", "bed", "chamber", "history", "extra", "text", "__proto__", "ready"),
    fc.string({ maxLength: 6 }),
  ),
  kind: fc.constantFrom("set", "set", "delete", "add"),
  /** On the envelope or a machine's own fields, where most limits are. */
  shallow: fc.boolean(),
  value: edgeValue,
});

/** A report with a few random changes: a value replaced, a key dropped or a key added. */
const mutatedReport = fc.array(mutation, { maxLength: 4 }).map((mutations) => {
  const body: Loose = report();
  for (const m of mutations) {
    const first = body.machines?.[0];
    const near = [body, body.agent, first, first?.octoprint].filter(isContainer);
    const nodes = m.shallow ? near : containers(body);
    const node = nodes[m.at % nodes.length]!;
    const keys = Object.keys(node);
    const key = m.kind === "add" || keys.length === 0 ? m.key : keys[m.at % keys.length]!;
    if (m.kind === "delete") delete (node as Record<string, unknown>)[key];
    else (node as Record<string, unknown>)[key] = structuredClone(m.value);
  }
  // The API sees bodies as JSON.parse returns them.
  return JSON.parse(JSON.stringify(body)) as unknown;
});

describe("the report fast path", () => {
  it("accepts the documented report as it is", () => {
    const body = report();
    expect(acceptedAsIs(body)).toBe(body);
  });

  it("only accepts what zod accepts, and as zod parses it", () => {
    fc.assert(
      fc.property(mutatedReport, (body) => {
        const asIs = acceptedAsIs(body);
        const parsed = agentReportSchema.safeParse(body);
        if (asIs) {
          expect(parsed.success).toBe(true);
          expect(asIs).toStrictEqual(parsed.data);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts most bodies zod accepts (the fast path is taken)", () => {
    const accepted = fc
      .sample(mutatedReport, { numRuns: 500, seed: 11 })
      .filter((body) => agentReportSchema.safeParse(body).success);
    const fast = accepted.filter((body) => acceptedAsIs(body) !== null);
    expect(accepted.length).toBeGreaterThan(100);
    expect(fast.length / accepted.length).toBeGreaterThan(0.7);
  });

  const at = (set: (b: Loose) => void) => {
    const body = report() as Loose;
    set(body);
    return body;
  };
  it.each([
    ...[
      ["agent", "version", 50],
      ["agent", "hostname", 255],
      ["machine", "machine_id", 200],
      ["machine", "name", 200],
      ["machine", "url", 2048],
      ["machine", "error", 500],
    ].flatMap(([where, field, max]) =>
      [max as number, (max as number) + 1].map((n) => [
        `${where}.${field} of ${n} characters`,
        at((b) => {
          (where === "agent" ? b.agent : b.machines[0])[field as string] = "x".repeat(n);
        }),
      ]),
    ),
    ["1,000 machines", at((b) => (b.machines = machinesOf(1000)))],
    ["1,001 machines", at((b) => (b.machines = machinesOf(1001)))],
    ["16 heaters", at((b) => addHeaters(b.machines[0].octoprint.printer.temperature, 16))],
    ["an HTTP status of 599", at((b) => (b.machines[0].octoprint.printer_http_status = 599))],
    ["an HTTP status of 600", at((b) => (b.machines[0].octoprint.printer_http_status = 600))],
    ["a date before 2000", at((b) => (b.machines[0].observed_at = "1999-12-31T23:59:59Z"))],
    ["a __proto__ key", JSON.parse(JSON.stringify(report()).replace('"sd":', '"__proto__":'))],
  ])("agrees with zod on %s", (_, body) => {
    const asIs = acceptedAsIs(body);
    const parsed = agentReportSchema.safeParse(body);
    expect(asIs !== null).toBe(parsed.success && isPlainJson(body));
    if (asIs) expect(asIs).toStrictEqual(parsed.data);
  });

  it.each([
    ["an unknown envelope key", (b: Loose) => (b.extra = 1)],
    ["an unknown machine key", (b: Loose) => (b.machines[0].extra = 1)],
    ["a duplicate machine id", (b: Loose) => (b.machines[2].machine_id = "machine-0")],
    ["a control character deep inside", (b: Loose) => (b.machines[0].octoprint.job.x = "\u0001")],
    ["17 heaters", (b: Loose) => addHeaters(b.machines[0].octoprint.printer.temperature, 17)],
  ])("leaves %s to zod", (_, spoil) => {
    const body = report() as Loose;
    spoil(body);
    expect(acceptedAsIs(body)).toBeNull();
  });
});

// biome-ignore lint/suspicious/noExplicitAny: a report spoiled on purpose
type Loose = any;

function machinesOf(count: number) {
  return Array.from({ length: count }, (_, i) => machine(i));
}

/** No key zod's copy would lose (the fast path leaves those to zod, which is fine). */
function isPlainJson(body: unknown): boolean {
  return !JSON.stringify(body).includes('"__proto__"');
}

function addHeaters(temperature: Record<string, unknown>, count: number) {
  for (let i = 0; i < count; i++) temperature[`tool${i}`] = { actual: 20, target: null };
}

describe("plainJsonText", () => {
  it("passes the documented report", () => {
    expect(plainJsonText(JSON.stringify(report()))).toBe(true);
  });

  it.each([
    ["a lone surrogate", '{"a":"caf\\udce9"}'],
    ["any \\u escape", '{"a":"\\u0041"}'],
    ["a backspace escape", '{"a":"x\\by"}'],
    ["a form feed escape", '{"a":"x\\fy"}'],
    ["a raw C1 control", '{"a":"x\u0085y"}'],
    ["DEL", '{"a":"x\u007fy"}'],
    ["a __proto__ key", '{"__proto__":1}'],
  ])("fails a text with %s", (_, text) => {
    expect(plainJsonText(text)).toBe(false);
  });

  it("passes only texts whose value the walks would leave as it is", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, extra) => {
        const text = JSON.stringify({ value, extra, [extra]: 1 });
        if (!plainJsonText(text)) return;
        const parsed = JSON.parse(text);
        expect(replaceLoneSurrogates(structuredClone(parsed))).toStrictEqual(parsed);
        expect(acceptedAsIs(parsed, true) === acceptedAsIs(parsed)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("spares acceptedAsIs only the walk it vouches for", () => {
    const body = report() as Loose;
    body.machines[0].octoprint.job.x = "\u0001";
    const text = JSON.stringify(body);
    expect(plainJsonText(text)).toBe(false);
    expect(acceptedAsIs(JSON.parse(text))).toBeNull();
  });
});
