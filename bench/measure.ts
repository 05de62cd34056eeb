// How the bench measures: a throughput is whole passes over a workload, repeated until at least
// MEASURE_MS of work after WARMUP_MS of warm-up; a memory figure is the heap growth, between two
// forced collections, from keeping what a run produced.
import type { Patch } from 'immer';
import type { State } from '../model/index.js';
import { DEFAULT_OPTIONS, step } from '../model/index.js';
import { checkInvariants, checkStepInvariants } from '../properties/index.js';
import type { Workload } from './workloads.js';

export const WARMUP_MS = 300;
export const MEASURE_MS = 1000;

export interface Throughput {
  readonly events: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
  /** Violations seen while timing; anything but 0 means the model broke an invariant. */
  readonly violations: number;
}

/** One pass: every trace of the workload through step() only. Returns the successful events. */
export function reducerPass(workload: Workload): number {
  let succeeded = 0;
  for (const trace of workload.traces) {
    let state = workload.start;
    for (const event of trace) {
      const outcome = step(state, event, DEFAULT_OPTIONS, false);
      state = outcome.state;
      if (outcome.result.ok) succeeded++;
    }
  }
  return succeeded;
}

/** One pass: every trace through step(), every invariant checked after every event. Returns the violations. */
export function invariantsPass(workload: Workload): number {
  let violations = 0;
  for (const trace of workload.traces) {
    let state = workload.start;
    for (const event of trace) {
      const before = state;
      state = step(state, event, DEFAULT_OPTIONS, false).state;
      if (state === before) continue; // as runCommands(): a step that changed nothing keeps its verdict
      violations += checkInvariants(state).length + checkStepInvariants(before, state, event).length;
    }
  }
  return violations;
}

/** Time whole passes over the workload: warm up, then at least MEASURE_MS of passes. */
export function throughput(workload: Workload, pass: (workload: Workload) => number, countViolations: boolean): Throughput {
  const warmupStart = performance.now();
  do pass(workload);
  while (performance.now() - warmupStart < WARMUP_MS);
  collect();
  let passes = 0;
  let seen = 0;
  const start = performance.now();
  let elapsedMs = 0;
  do {
    seen += pass(workload);
    passes++;
    elapsedMs = performance.now() - start;
  } while (elapsedMs < MEASURE_MS);
  const events = passes * workload.events;
  return { events, elapsedMs, eventsPerSecond: (events / elapsedMs) * 1000, violations: countViolations ? seen : 0 };
}

export type Collector = () => void;

/** global.gc, present when node runs with --expose-gc. */
export function collector(): Collector | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as Collector) : null;
}

function collect(): void {
  collector()?.();
}

function heapAfterCollection(gc: Collector): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export interface Memory {
  readonly events: number;
  /** Heap kept by every state of the trace, per event. */
  readonly stateBytesPerEvent: number;
  /** Heap kept by every step's patches and inverse patches as well, per event. */
  readonly stateAndPatchBytesPerEvent: number;
  /** The kept states, for the caller's statistics (released by the caller). */
  readonly states: readonly State[];
}

/** Run every trace of the workload, keeping every state, and every step's patches if asked. */
function runKeeping(workload: Workload, withPatches: boolean): { states: State[]; patches: (readonly Patch[])[] } {
  const states: State[] = [];
  const patches: (readonly Patch[])[] = [];
  for (const trace of workload.traces) {
    let state = workload.start;
    for (const event of trace) {
      const outcome = step(state, event, DEFAULT_OPTIONS, false);
      state = outcome.state;
      states.push(state);
      if (withPatches) patches.push(outcome.patches, outcome.inversePatches);
    }
  }
  return { states, patches };
}

/** The heap growth from keeping what runKeeping() returns, and what it returned. */
function heapKept(workload: Workload, withPatches: boolean, gc: Collector): { bytes: number; states: State[] } {
  const before = heapAfterCollection(gc);
  const kept = runKeeping(workload, withPatches);
  const bytes = heapAfterCollection(gc) - before;
  return { bytes, states: kept.states }; // `kept`, patches too, is live until here
}

/**
 * The heap kept per event by every state of every trace of the workload, and by every state
 * together with every step's patches and inverse patches (two separate runs). Needs global.gc.
 */
export function memoryPerEvent(workload: Workload, gc: Collector): Memory {
  const events = Math.max(workload.events, 1);
  const withPatches = heapKept(workload, true, gc).bytes;
  const statesOnly = heapKept(workload, false, gc);
  return {
    events: workload.events,
    stateBytesPerEvent: statesOnly.bytes / events,
    stateAndPatchBytesPerEvent: withPatches / events,
    states: statesOnly.states,
  };
}
