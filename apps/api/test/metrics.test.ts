import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createMetricsApp } from "../src/app.ts";
import { machine, postReport, report } from "./agent/report-builder.ts";
import { call, failure, publicTestServices, type TestApp, tenant } from "./public/helpers.ts";
import { createAgent, createApiKey } from "./support/factories.ts";
import type { TestServices } from "./support/services.ts";

const TOKEN = "metrics-secret-0123456789";

let services: TestServices;
let app: TestApp;

beforeAll(async () => {
  services = await publicTestServices({ env: { METRICS_TOKEN: TOKEN } });
  app = createApp(services);
});
afterAll(() => services.close());

/** The value of one sample line, e.g. value(text, 'apf_auth_failures_total{code="TOKEN_INVALID"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

async function scrape(): Promise<string> {
  const res = await createMetricsApp(services).request("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
}

describe("GET /metrics", () => {
  it("does not exist on the API's port by default (no METRICS_TOKEN)", async () => {
    const open = await publicTestServices({ redis: false });
    try {
      expect(open.config.METRICS_TOKEN).toBeUndefined();
      const res = await createApp(open).request("/metrics");
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/apf_http_requests_total/);
    } finally {
      await open.close();
    }
  });

  it("answers 401 without the METRICS_TOKEN bearer, and the metrics with it", async () => {
    expect((await app.request("/metrics")).status).toBe(401);
    const wrong = await app.request("/metrics", {
      headers: { authorization: "Bearer metrics-secret-0123456780" },
    });
    expect(wrong.status).toBe(401);
    expect((await failure(wrong)).code).toBe("UNAUTHORIZED");
    const right = await app.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toMatch(/^# HELP /m);
  });

  it("counts requests by route pattern and status, with latency histograms", async () => {
    const t = await tenant(services.db);
    for (let i = 0; i < 3; i++) await call(app, "/public/v1/me", { key: t.key });
    await call(app, "/public/v1/printers/00000000-0000-4000-8000-000000000000", { key: t.key });
    const text = await scrape();
    expect(
      value(text, 'apf_http_requests_total{method="GET",route="/public/v1/me",status="200"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(
      value(
        text,
        'apf_http_requests_total{method="GET",route="/public/v1/printers/:id",status="404"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(text, 'apf_http_request_duration_seconds_count{method="GET",route="/public/v1/me"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(/00000000-0000-4000-8000-000000000000/);
  });

  it("counts authentication failures by code and rate-limit refusals", async () => {
    const before = await scrape();
    const t = await tenant(services.db);
    const tight = await createApiKey(services.db, t.organization.id, { rateLimitPerMinute: 1 });
    await call(app, "/public/v1/me");
    await call(app, `/public/v1/me`, { key: `${t.key.slice(0, -8)}00000000` });
    await call(app, "/public/v1/me", { key: tight.key });
    expect((await call(app, "/public/v1/me", { key: tight.key })).status).toBe(429);
    const after = await scrape();
    const delta = (sample: string) => (value(after, sample) ?? 0) - (value(before, sample) ?? 0);
    expect(delta('apf_auth_failures_total{code="UNAUTHORIZED"}')).toBe(1);
    expect(delta('apf_auth_failures_total{code="TOKEN_INVALID"}')).toBe(1);
    expect(delta('apf_rate_limit_refusals_total{route="/public/v1/me"}')).toBe(1);
  });

  it("counts key-cache hits and misses", async () => {
    const before = await scrape();
    const t = await tenant(services.db);
    await call(app, "/public/v1/me", { key: t.key });
    await call(app, "/public/v1/me", { key: t.key });
    const after = await scrape();
    const delta = (sample: string) => (value(after, sample) ?? 0) - (value(before, sample) ?? 0);
    if (services.redis) {
      expect(delta('apf_key_cache_lookups_total{result="miss"}')).toBe(1);
      expect(delta('apf_key_cache_lookups_total{result="hit"}')).toBe(1);
    } else {
      expect(delta('apf_key_cache_lookups_total{result="bypass"}')).toBe(2);
    }
  });

  it("observes ingest lag from observed_at to commit, per machine", async () => {
    const before = await scrape();
    const t = await tenant(services.db);
    const agent = await createAgent(services.db, t.organization.id);
    const observedAt = new Date(Date.now() - 2000);
    const res = await postReport(
      app,
      agent.token,
      report([machine({ machineId: "a", observedAt }), machine({ machineId: "b", observedAt })]),
    );
    expect(res.status).toBe(202);
    const after = await scrape();
    const count = "apf_ingest_lag_seconds_count";
    expect((value(after, count) ?? 0) - (value(before, count) ?? 0)).toBe(2);
    const under1s = 'apf_ingest_lag_seconds_bucket{le="1"}';
    // Both machines were observed 2 s before the report: neither lands under 1 s.
    expect((value(after, under1s) ?? 0) - (value(before, under1s) ?? 0)).toBe(0);
  });

  it("reports the Postgres pool, Redis health and event-loop lag", async () => {
    const text = await scrape();
    if (services.dbKind === "postgres") {
      expect(value(text, 'apf_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
      // The dispatcher's sweep may hold a connection while the scrape reads the pool: a count,
      // never more than the pool's size.
      const total = value(text, 'apf_db_pool_connections{state="total"}') ?? 0;
      const waiting = value(text, 'apf_db_pool_connections{state="waiting"}');
      expect(Number.isInteger(waiting)).toBe(true);
      expect(waiting).toBeGreaterThanOrEqual(0);
      expect(waiting).toBeLessThanOrEqual(total);
    }
    if (services.redis) expect(value(text, "apf_redis_up")).toBe(1);
    expect(value(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });
});
