import { afterEach, beforeEach } from "vitest";
import {
  type SimulatedFarm,
  type SimulatedFarmOptions,
  type SimulatedPrinter,
  startSimulatedFarm,
} from "../../src/simulator/index.ts";

/**
 * A simulated farm started before each test and closed after it, on a clock the test moves by
 * hand (`tick`). `printer` is the farm's first printer.
 */
export function farmPerTest(options: Omit<SimulatedFarmOptions, "now">) {
  let clock = 1_800_000_000_000;
  let farm: SimulatedFarm | undefined;
  beforeEach(async () => {
    farm = await startSimulatedFarm({ ...options, now: () => clock });
  });
  afterEach(async () => {
    await farm?.close();
    farm = undefined;
  });
  return {
    get farm(): SimulatedFarm {
      if (!farm) throw new Error("the simulated farm runs only inside a test");
      return farm;
    },
    get printer(): SimulatedPrinter {
      return this.farm.printers[0] as SimulatedPrinter;
    },
    /** The farm's clock, in epoch milliseconds. */
    now: () => clock,
    tick: (seconds: number) => {
      clock += seconds * 1000;
    },
  };
}
