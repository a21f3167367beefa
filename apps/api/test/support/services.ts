import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "@apf/db/testing";
import type { Redis } from "ioredis";
import { vi } from "vitest";
import type { Clock, Platform, Services } from "../../src/context.ts";
import { parseEnv } from "../../src/env.ts";
import type { JobStatsRegrouperOptions } from "../../src/modules/analytics/regroup.ts";
import { createInProcessBus, createRedisBus } from "../../src/modules/control/bus.ts";
import type { EventLogOptions } from "../../src/modules/events/index.ts";
import { createGithubKeySet } from "../../src/modules/keys/github-keys.ts";
import { printFileLinks } from "../../src/modules/print-queue/file-links.ts";
import type { PrintFileLinks } from "../../src/modules/print-queue/transfer.ts";
import type { WebhookOptions } from "../../src/modules/webhooks/index.ts";
import { assembleServices, buildRequestParts, createRedis } from "../../src/platform/build.ts";
import {
  createFileStore,
  type FileStore,
  parseFileStoreLocation,
} from "../../src/platform/file-store/index.ts";
import { createLogger } from "../../src/platform/logger.ts";
import {
  createOrgChanges,
  ORG_CHANGES_CHANNEL,
  type OrgChanges,
} from "../../src/platform/org-changes.ts";
import { createRateLimiterFactory } from "../../src/platform/rate-limiter.ts";

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(private current = new Date("2026-11-23T10:00:00.000Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date | string) {
    this.current = new Date(date);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Every line the logger wrote, as text and parsed. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join("\n");
  }
  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestServices extends Services {
  clock: Clock;
  logs: LogCapture;
  database: TestDatabase;
  fileDir: string | null;
  /** Closes what this helper opened (not the shared database when passed in). */
  close(): Promise<void>;
}

export interface TestServicesOptions {
  /** Share one database between several services (two API instances). */
  database?: TestDatabase;
  /** Use the real Redis when the test run has one (default true). */
  redis?: boolean;
  /** Redis key namespace; share it between instances that share a budget. */
  redisPrefix?: string;
  /** Override a Redis URL (for a private redis-server). */
  redisUrl?: string;
  env?: Record<string, string>;
  clock?: Clock;
  /** How the print queue mints download links (default: the files capability's signed links). */
  printFileLinks?: PrintFileLinks;
  /** A file store of the test's own (default: a fresh temporary folder, removed on close). */
  fileStore?: FileStore;
  /** The event log's timings (heartbeats, sweeps). */
  events?: EventLogOptions;
  /** Webhook deliveries; no worker runs unless `worker: true`. */
  webhooks?: WebhookOptions;
  /** The analytics regrouping (`auto: false`: only when the test calls regroupOnce). */
  jobStats?: JobStatsRegrouperOptions;
}

/**
 * Services for an in-process app against the test run's real Postgres (a database of this
 * file's own) and Redis (a key namespace of its own). Without them, PGlite and memory.
 */
export async function createTestServices(options: TestServicesOptions = {}): Promise<TestServices> {
  const database = options.database ?? (await createTestDatabase());
  const redisUrl = options.redisUrl ?? process.env.APF_TEST_REDIS_URL;
  const logs = new LogCapture();
  const logger = createLogger("debug", logs);
  // The product's own Redis client (command timeout, no offline queue), not a test double.
  const redis = options.redis !== false && redisUrl ? createRedis(redisUrl, logger) : null;
  if (redis) await waitReady(redis);
  const config = parseEnv({ LOG_LEVEL: "debug", APF_DEMO: "off", ...options.env });
  const prefix = options.redisPrefix ?? `apf-test:${randomBytes(6).toString("hex")}`;
  // Instances that share a prefix share a bus channel, as instances of one deployment do.
  const commandBus = redis
    ? createRedisBus(redis, { channel: `${prefix}:command-bus`, logger })
    : createInProcessBus();
  await commandBus.ready();
  const orgChanges = createOrgChanges(
    database.db,
    (handlers) => database.listen(ORG_CHANGES_CHANNEL, handlers),
    logger,
  );
  await waitListening(orgChanges);
  const fileDir = options.fileStore ? null : mkdtempSync(join(tmpdir(), "apf-test-files-"));
  const fileStore =
    options.fileStore ??
    createFileStore(parseFileStoreLocation(config.APF_FILE_STORE, fileDir ?? tmpdir()));
  const uploadSecret = randomBytes(32);
  const clock = options.clock ?? new TestClock();
  const platform: Platform = {
    db: database.db,
    maintenanceDb: database.maintenance,
    dbKind: database.kind,
    pingDb: () => database.ping(),
    dbPool: database.poolStats,
    redis,
    rateLimiters: createRateLimiterFactory(redis, prefix),
    commandBus,
    orgChanges,
    printFileLinks: options.printFileLinks ?? printFileLinks({ clock, uploadSecret }),
    logger,
    clock,
    config,
    githubKeys: createGithubKeySet(config.APF_GITHUB_KEYS, logger),
    fileStore,
    uploadSecret,
  };
  // Built as buildServices builds them: the stateful parts, then the platform's own close.
  const services = await assembleServices(
    platform,
    async () => {
      await fileStore.close();
      if (fileDir) rmSync(fileDir, { recursive: true, force: true });
      await commandBus.close();
      await orgChanges.close();
      redis?.disconnect();
      if (!options.database) await database.close();
    },
    {
      databaseUrl: database.url,
      webhooks: { worker: false, ...options.webhooks },
      events: options.events,
      jobStats: options.jobStats,
    },
  );
  return {
    ...services,
    logs,
    database,
    /** The temporary folder behind the default file store (null with another store). */
    fileDir,
  };
}

/**
 * `services` with platform parts swapped (a spying or failing database, a Redis that is down)
 * and the request path's stateful parts (caches, last_used_at writes, metrics) built afresh over
 * them, as buildServices would build them over those parts; the dispatcher stays `services`'.
 * Nothing of it needs closing beyond `services`.
 */
export function withPlatform(services: Services, swapped: Partial<Platform>): Services {
  const platform = { ...services, ...swapped };
  return { ...platform, ...buildRequestParts(platform) };
}

/** LISTEN in place, so a test's first reads already use (and test) the caches keyed by it. */
async function waitListening(orgChanges: OrgChanges): Promise<void> {
  // vi.waitFor, not expect.poll: this runs in beforeAll hooks, outside any test.
  await vi.waitFor(
    () => {
      if (!orgChanges.listening) throw new Error("LISTEN on the test database did not start");
    },
    { timeout: 5000, interval: 5 },
  );
}

async function waitReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis did not become ready")), 5000);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
