export { type SimulatedFarm, type SimulatedFarmOptions, startSimulatedFarm } from "./farm.ts";
export type { JobCommandEntry } from "./http-handler.ts";
export { PAIRING_STALE_MS } from "./pairing.ts";
export type { PhaseKind } from "./phases.ts";
export { TRANSIENT_MS } from "./phases.ts";
export { type PrintOptions, SIMULATED_FAILURE, SimulatorConflict } from "./print-run.ts";
export type { SimulatedPrinter } from "./simulated-host.ts";
