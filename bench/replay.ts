// (5) Time-travel replay: a 10,000-event generated trace replayed to the end through a History
// (step() computed once per event), back to step 0 by inverse patches, and forward to the end
// again by patches; and the heap the History holds for those steps (heap used after a forced
// collection, minus before). Targets: the three moves under 2 s together, under 200 MB held.
import fc from 'fast-check';
import { initialState, setFreezing, step } from '../model/index.js';
import type { Invariant } from '../properties/index.js';
import { commands, INVARIANTS, resolveCommand } from '../properties/index.js';
import { History } from '../traces/index.js';
import type { RecordedStep, Trace } from '../traces/trace.js';
import { makeTrace } from '../traces/trace.js';
import type { Collector } from './measure.js';
import { BENCH_SEED, TRACE_COMMANDS } from './workloads.js';

export const REPLAY_EVENTS = 10_000;
export const REPLAY_TARGET_MS = 2000;
export const REPLAY_TARGET_BYTES = 200 * 1024 * 1024;
/** Bounds on the trace's states: propagation and clones grow them without limit over 10,000 events. */
export const MAX_MOUNTS = 150;
export const MAX_TASKS = 40;

export interface ReplayFigure {
  readonly events: number;
  readonly invariants: boolean;
  readonly toEndMs: number;
  readonly backToStartMs: number;
  readonly forwardAgainMs: number;
  readonly totalMs: number;
  readonly heldBytes: number | null;
  readonly targetMet: boolean;
}

/**
 * REPLAY_EVENTS events from the boot state: generated command lists concatenated into one run,
 * resolved against the state as they go. An exit of the last live task is left out (after it
 * every event would fail ESRCH and the trace would stop exercising anything), and so is an event
 * that would take the state past MAX_MOUNTS mounts or MAX_TASKS tasks (mount propagation between
 * many namespaces grows the mount table exponentially along an unbounded run).
 */
export function replayTrace(): Trace {
  const lists = fc.sample(commands(TRACE_COMMANDS), { seed: BENCH_SEED, numRuns: Math.ceil((4 * REPLAY_EVENTS) / TRACE_COMMANDS) });
  const steps: RecordedStep[] = [];
  let state = initialState();
  for (const command of lists.flat()) {
    if (steps.length === REPLAY_EVENTS) break;
    const event = resolveCommand(state, command);
    if (event.type === 'exit' && Object.keys(state.tasks).length <= 1) continue;
    const outcome = step(state, event);
    if (Object.keys(outcome.state.mounts).length > MAX_MOUNTS || Object.keys(outcome.state.tasks).length > MAX_TASKS) continue;
    state = outcome.state;
    steps.push({ event, result: outcome.result, violations: [] });
  }
  if (steps.length < REPLAY_EVENTS) throw new Error(`bench: only ${steps.length} events generated for the replay trace`);
  return makeTrace({ steps });
}

function replayOnce(trace: Trace, invariants: readonly Invariant[], gc: Collector | null): ReplayFigure {
  setFreezing(true);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const history = new History(trace, { invariants });
  const start = performance.now();
  history.goto(trace.steps.length);
  const atEnd = performance.now();
  history.goto(0);
  const atStart = performance.now();
  history.goto(trace.steps.length);
  const again = performance.now();
  let heldBytes: number | null = null;
  if (gc !== null) {
    gc();
    heldBytes = process.memoryUsage().heapUsed - heapBefore;
  }
  if (history.cursor !== trace.steps.length) throw new Error('bench: the replay did not reach the end');
  const totalMs = again - start;
  return {
    events: trace.steps.length,
    invariants: invariants.length > 0,
    toEndMs: atEnd - start,
    backToStartMs: atStart - atEnd,
    forwardAgainMs: again - atStart,
    totalMs,
    heldBytes,
    targetMet: totalMs < REPLAY_TARGET_MS && (heldBytes === null || heldBytes < REPLAY_TARGET_BYTES),
  };
}

/** With every invariant after every step (what mntns replay does), and with none (the history alone). */
export function measureReplay(gc: Collector | null): ReplayFigure[] {
  const trace = replayTrace();
  replayOnce(trace, [], null); // warm-up
  return [replayOnce(trace, INVARIANTS, gc), replayOnce(trace, [], gc)];
}
