import { apiKeys } from "@apf/db";
import { eq } from "drizzle-orm";
import pg from "pg";
import { expect, it, vi } from "vitest";
import { createApp } from "../src/app.ts";
import { call, publicTestServices, tenant } from "./public/helpers.ts";

it.runIf(process.env.APF_TEST_DATABASE_URL)(
  "flushes a last_used_at write still under way before the database pool closes",
  async () => {
    const services = await publicTestServices();
    const app = createApp(services);
    const t = await tenant(services.db);
    // Another connection holds the key's row, so the write of this use waits for it.
    const holder = new pg.Client({ connectionString: services.database.url! });
    await holder.connect();
    let held = true;
    let closing: Promise<void> | undefined;
    try {
      await holder.query("begin");
      await holder.query("select 1 from api_keys where id = $1 for update", [t.keyRow.id]);
      expect((await call(app, "/public/v1/me", { key: t.key })).status).toBe(200);
      await vi.waitFor(() => expect(services.keyTouches.inFlight).toBe(1));

      const endPool = services.database.close.bind(services.database);
      let seenAtPoolEnd: Date | null | undefined;
      const poolEnd = vi.spyOn(services.database, "close").mockImplementation(async () => {
        const [row] = await services.db
          .select({ at: apiKeys.lastUsedAt })
          .from(apiKeys)
          .where(eq(apiKeys.id, t.keyRow.id));
        seenAtPoolEnd = row?.at ?? null;
        await endPool();
      });

      closing = services.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The write is still waiting for the row: the pool must not end under it.
      expect(poolEnd).not.toHaveBeenCalled();
      await holder.query("commit");
      // Let go of the database before it is dropped with the services.
      await holder.end();
      held = false;
      await closing;
      expect(poolEnd).toHaveBeenCalledOnce();
      expect(seenAtPoolEnd).toEqual(services.clock.now());
      expect(services.logs.text).not.toContain("could not record last_used_at");
    } finally {
      if (held) await holder.end();
      if (!closing) await services.close();
    }
  },
);
