import { describe, expect, it, vi } from "vitest";
import { graphileLogger } from "../../src/modules/webhooks/queue.ts";
import { createLogger } from "../../src/platform/logger.ts";
import { createTestServices, LogCapture } from "../support/services.ts";

describe("graphile-worker's log lines in the service's log", () => {
  it("keeps its warnings, but not its start-up advice on pool and batch sizes we chose", () => {
    const logs = new LogCapture();
    const log = graphileLogger(createLogger("debug", logs));
    log.warn(
      "WARNING: having maxPoolSize (4) smaller than concurrency (32) may lead to non-optimal performance.",
    );
    log.warn(
      "Your job batch size (16) is smaller than your concurrency setting (32); this may result in drastically lower performance",
    );
    log.warn("Failed to release job 7");
    log.error("Worker crashed");
    const byLevel = logs.entries().map((e) => [e.level, e.msg]);
    expect(byLevel).toEqual([
      [20, expect.stringContaining("maxPoolSize (4)")],
      [20, expect.stringContaining("job batch size (16)")],
      [40, "Failed to release job 7"],
      [50, "Worker crashed"],
    ]);
  });
});

describe("the webhook queue on Postgres", () => {
  it("starts without graphile-worker asking for error handlers on its pool", async () => {
    const warn = vi.spyOn(console, "warn");
    const services = await createTestServices({ webhooks: { worker: true } });
    try {
      expect(services.webhooks.queue.kind).toBe(
        services.database.url ? "graphile-worker" : "in-process",
      );
      const asked = warn.mock.calls.filter((call) => String(call[0]).includes("error handlers"));
      expect(asked).toEqual([]);
    } finally {
      warn.mockRestore();
      await services.close();
    }
  });
});
