import { Heater } from "./heater.ts";
import { isActivePhase, isOperationalPhase, type PhaseKind, TRANSIENT_MS } from "./phases.ts";
import {
  createRun,
  type PrintOptions,
  type Run,
  SIMULATED_FAILURE,
  SimulatorConflict,
} from "./print-run.ts";

const TOOL_TARGET_C = 210;
const BED_TARGET_C = 60;

/** What drives the printer when nobody calls it: the auto-print loop of the demo farm. */
export interface AutoPrintPlan {
  nextFile: () => string;
  durationS: number;
  heatS: number;
  idleS: number;
}

/**
 * One simulated OctoPrint printer as a discrete-event state machine over an injectable clock.
 * Nothing runs in the background: every read first replays the transitions due up to `now()`, so
 * a fake clock gives deterministic answers and the real clock gives a live printer.
 */
export class VirtualPrinter {
  phase: PhaseKind = "idle";
  phaseStart: number;
  run: Run | null = null;
  errorText: string | null = null;
  readonly tool0 = new Heater();
  readonly bed = new Heater();
  private idleUntil: number | null = null;

  constructor(
    private readonly now: () => number,
    private readonly auto: AutoPrintPlan | null = null,
    startOffsetMs = 0,
  ) {
    const t = now();
    this.phaseStart = t;
    if (auto)
      this.startRun(
        auto.nextFile(),
        { durationS: auto.durationS, heatS: auto.heatS },
        t - startOffsetMs,
      );
    this.advance();
  }

  /** Replays every transition due up to now. */
  advance(): number {
    const t = this.now();
    for (let end = this.phaseEnd(); end <= t; end = this.phaseEnd()) this.transition(end);
    return t;
  }

  /** Print-clock milliseconds of the selected run at `t`. */
  printMsAt(t: number): number {
    if (!this.run) return 0;
    return this.run.printMs + (this.phase === "printing" ? t - this.phaseStart : 0);
  }

  startPrint(fileName: string, opts: PrintOptions = {}): void {
    const t = this.advance();
    if (!isOperationalPhase(this.phase)) throw new SimulatorConflict("Printer is not operational");
    if (isActivePhase(this.phase)) {
      throw new SimulatorConflict(
        "Printer already has an active print job, did you mean 'restart'?",
      );
    }
    this.startRun(fileName, opts, t);
  }

  /** Selects `fileName` without printing it (an upload with `select` and no `print`). */
  selectFile(fileName: string, opts: PrintOptions = {}): void {
    const t = this.advance();
    if (!isOperationalPhase(this.phase) || isActivePhase(this.phase)) {
      throw new SimulatorConflict("Printer is already printing, cannot select a new file");
    }
    this.run = { ...createRun(fileName, opts, t), started: false };
  }

  /** True while `path` is the file of a print in progress (OctoPrint's `can_modify_file`). */
  isPrintingFile(path: string): boolean {
    this.advance();
    return this.run?.fileName === path && isActivePhase(this.phase);
  }

  /** Ready for a new print: operational and neither printing nor paused. */
  isReady(): boolean {
    this.advance();
    return isOperationalPhase(this.phase) && !isActivePhase(this.phase);
  }

  pause(): void {
    const t = this.requireActive("pause");
    // A pause that arrives while a resume is still under way is not lost: it pauses again.
    if (this.phase !== "printing" && this.phase !== "resuming") return;
    if (this.phase === "printing") this.foldPrintClock(t);
    this.enter("pausing", t);
  }

  resume(): void {
    const t = this.requireActive("pause");
    if (this.phase === "paused") this.enter("resuming", t);
  }

  cancel(): void {
    const t = this.requireActive("cancel");
    if (this.phase === "cancelling") return;
    if (this.phase === "printing") this.foldPrintClock(t);
    this.coolDown(t);
    this.enter("cancelling", t);
  }

  disconnect(): void {
    const t = this.advance();
    this.run = null;
    this.errorText = null;
    this.coolDown(t);
    this.enter("offline", t);
  }

  connect(): void {
    const t = this.advance();
    if (isOperationalPhase(this.phase)) return;
    this.run = null;
    this.errorText = null;
    this.enterIdle(t);
  }

  private requireActive(command: string): number {
    const t = this.advance();
    if (!isOperationalPhase(this.phase)) throw new SimulatorConflict("Printer is not operational");
    if (!isActivePhase(this.phase)) {
      throw new SimulatorConflict(
        `Printer is neither printing nor paused, '${command}' command cannot be performed`,
      );
    }
    return t;
  }

  private startRun(fileName: string, opts: PrintOptions, t: number): void {
    this.run = createRun(fileName, opts, t);
    this.errorText = null;
    this.idleUntil = null;
    this.tool0.setTarget(TOOL_TARGET_C, t, this.run.heatMs);
    this.bed.setTarget(BED_TARGET_C, t, this.run.heatMs);
    this.enter("printing", t);
  }

  private phaseEnd(): number {
    const run = this.run;
    switch (this.phase) {
      case "printing": {
        if (!run) return Number.POSITIVE_INFINITY;
        const limit = Math.min(
          run.heatMs + run.durationMs,
          run.failAtMs ?? Number.POSITIVE_INFINITY,
        );
        return this.phaseStart + Math.max(0, limit - run.printMs);
      }
      case "pausing":
      case "resuming":
      case "cancelling":
      case "finishing":
        return this.phaseStart + TRANSIENT_MS[this.phase];
      case "idle":
        return this.idleUntil ?? Number.POSITIVE_INFINITY;
      default:
        return Number.POSITIVE_INFINITY;
    }
  }

  private transition(t: number): void {
    const run = this.run;
    switch (this.phase) {
      case "printing":
        this.foldPrintClock(t);
        if (!run) this.enterIdle(t);
        else if (run.failAtMs !== null && run.printMs >= run.failAtMs) {
          run.outcome = "failed";
          this.errorText = SIMULATED_FAILURE;
          this.coolDown(t);
          this.enter("error", t);
        } else this.enter("finishing", t);
        break;
      case "pausing":
        this.enter("paused", t);
        break;
      case "resuming":
        this.enter("printing", t);
        break;
      case "cancelling":
        if (run) run.outcome = "cancelled";
        this.enterIdle(t);
        break;
      case "finishing":
        if (run) run.outcome = "done";
        this.coolDown(t);
        this.enterIdle(t);
        break;
      case "idle":
        if (this.auto) {
          const { durationS, heatS } = this.auto;
          this.startRun(this.auto.nextFile(), { durationS, heatS }, t);
        } else this.idleUntil = null;
        break;
    }
  }

  private enterIdle(t: number): void {
    this.idleUntil = this.auto ? t + this.auto.idleS * 1000 : null;
    this.enter("idle", t);
  }

  private enter(phase: PhaseKind, t: number): void {
    this.phase = phase;
    this.phaseStart = t;
  }

  private foldPrintClock(t: number): void {
    if (this.run && this.phase === "printing") this.run.printMs += t - this.phaseStart;
    this.phaseStart = t;
  }

  private coolDown(t: number): void {
    this.tool0.setTarget(0, t);
    this.bed.setTarget(0, t);
  }
}
