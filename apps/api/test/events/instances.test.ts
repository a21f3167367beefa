import { afterAll, beforeAll, expect, it } from "vitest";
import { machine, postReport, report } from "../agent/report-builder.ts";
import { freshIp, tenant, twoInstances } from "../public/helpers.ts";
import { createAgent } from "../support/factories.ts";
import { TestClock } from "../support/services.ts";
import { openStream } from "./sse-client.ts";

let farm: Awaited<ReturnType<typeof twoInstances>>;
const clock = new TestClock();

beforeAll(async () => {
  farm = await twoInstances({ clock });
});
afterAll(() => farm.close());

const next = () => {
  clock.advance(1000);
  return clock.now();
};

it("delivers a job completion made through instance B to a stream on instance A within a second, and a reconnect resumes exactly once", async () => {
  const a = await tenant(farm.one.db, "A");
  const agent = await createAgent(farm.one.db, a.organization.id);
  const headers = { authorization: `Bearer ${a.key}`, "x-forwarded-for": freshIp() };
  const send = async (m: unknown) =>
    expect((await postReport(farm.appTwo, agent.token, report([m]))).status).toBe(202);

  const first = await openStream(
    farm.appOne,
    "/public/v1/events/stream?types=job.started,job.completed",
    headers,
  );
  expect(first.response.status).toBe(200);
  await send(
    machine({ observedAt: next(), flags: { printing: true }, file: "a.gcode", completion: 50 }),
  );
  expect(await first.next(1000)).toMatchObject({ event: "job.started" });

  const sent = Date.now();
  await send(machine({ observedAt: next(), file: "a.gcode", completion: 100 }));
  const done = await first.next(1000);
  expect(Date.now() - sent).toBeLessThan(1000);
  expect(done).toMatchObject({ event: "job.completed" });
  expect(done.json.data).toMatchObject({ status: "completed", file_name: "a.gcode" });

  // Disconnected: what happens meanwhile (through B) comes on the next stream (on A), once each.
  await first.close();
  await send(
    machine({ observedAt: next(), flags: { printing: true }, file: "b.gcode", completion: 10 }),
  );
  await send(machine({ observedAt: next(), file: "b.gcode", completion: 100 }));
  const resumed = await openStream(
    farm.appOne,
    "/public/v1/events/stream?types=job.started,job.completed",
    {
      ...headers,
      "last-event-id": done.id!,
    },
  );
  const again = [await resumed.next(), await resumed.next()];
  expect(again.map((m) => [m.event, (m.json.data as { file_name: string }).file_name])).toEqual([
    ["job.started", "b.gcode"],
    ["job.completed", "b.gcode"],
  ]);
  expect(again.map((m) => Number(m.id))).toEqual(
    [...again.map((m) => Number(m.id))].sort((x, y) => x - y),
  );
  expect(Number(again[0]!.id)).toBeGreaterThan(Number(done.id));
  await send(
    machine({ observedAt: next(), flags: { printing: true }, file: "c.gcode", completion: 10 }),
  );
  const live = await resumed.next(1000);
  expect((live.json.data as { file_name: string }).file_name).toBe("c.gcode");
  await resumed.close();
});
