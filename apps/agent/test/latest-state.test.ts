import { LatestState } from "@apf/agent-core/latest-state";
import { describe, expect, it } from "vitest";
import { entry } from "./helpers/entries.ts";

describe("LatestState", () => {
  it("keeps only the newest entry per machine", () => {
    const state = new LatestState();
    state.put([entry("a", 1), entry("b", 1)]);
    state.put([entry("a", 2)]);
    state.put([entry("a", 3), entry("c", 3)]);
    expect(state.size).toBe(3);
    expect(
      state.pending().map((p) => [p.entry.machine_id, p.entry.observed_at.slice(17, 19)]),
    ).toEqual([
      ["a", "03"],
      ["b", "01"],
      ["c", "03"],
    ]);
  });

  it("settles delivered entries but keeps those replaced while they were in flight", () => {
    const state = new LatestState();
    state.put([entry("a", 1), entry("b", 1)]);
    const taken = state.pending();
    state.put([entry("a", 2)]);
    state.settle(taken);
    expect(state.pending().map((p) => p.entry)).toEqual([entry("a", 2)]);
    state.settle(state.pending());
    expect(state.size).toBe(0);
  });

  it("stays at one entry per machine however many rounds pile up", () => {
    const state = new LatestState();
    for (let round = 0; round < 500; round += 1)
      state.put([entry("a", round % 60), entry("b", round % 60)]);
    expect(state.size).toBe(2);
  });
});
