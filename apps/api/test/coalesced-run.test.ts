import { describe, expect, it } from "vitest";
import { coalescedRun } from "../src/platform/coalesced-run.ts";

/** A task whose rounds the test lets finish one by one. */
function steppedTask() {
  const finishes: (() => void)[] = [];
  let rounds = 0;
  return {
    task: () =>
      new Promise<void>((resolve) => {
        rounds++;
        finishes.push(resolve);
      }),
    finishNext: () => finishes.shift()?.(),
    get rounds() {
      return rounds;
    },
  };
}

describe("a coalesced background run", () => {
  it("runs once more after the round under way, however many times it was asked meanwhile", async () => {
    const t = steppedTask();
    const run = coalescedRun(t.task, () => {});
    const first = run.request();
    expect(run.busy).toBe(true);
    const asked = [run.request(), run.request(), run.request()];
    expect(t.rounds).toBe(1);
    t.finishNext();
    await expect.poll(() => t.rounds).toBe(2);
    t.finishNext();
    await Promise.all([first, ...asked]);
    expect(t.rounds).toBe(2);
    expect(run.busy).toBe(false);
  });

  it("hands a failure to onError, ends the round, and runs again when asked", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const run = coalescedRun(
      async () => {
        calls++;
        if (calls === 1) throw new Error("database away");
      },
      (error) => errors.push(error),
    );
    await run.request();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("database away");
    await run.request();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it("starts no round once closed, and close waits for the one under way", async () => {
    const t = steppedTask();
    const run = coalescedRun(t.task, () => {});
    void run.request();
    void run.request();
    const closing = run.close();
    t.finishNext();
    await closing;
    expect(t.rounds).toBe(1);
    await run.request();
    expect(t.rounds).toBe(1);
  });
});
