// (5) Time-travel replay: a 10,000-event generated trace replayed to the end through a History
// (step() computed once per event), back to step 0 by inverse patches, and forward to the end
// again by patches; and the heap the History holds for those steps (heap used after a forced
// collection, minus before). Targets: the three moves under 2 s together, under 200 MB held.
import fc from 'fast-check';
import { setFreezing } from '../model/index.js';
import type { Invariant } from '../properties/index.js';
import { commands, INVARIANTS, runCommands } from '../properties/index.js';
import { History } from '../traces/index.js';
import { makeTrace } from '../traces/trace.js';
import type { Collector } from './measure.js';
import { BENCH_SEED, TRACE_COMMANDS } from './workloads.js';

export const REPLAY_EVENTS = 10_000;
export const REPLAY_TARGET_MS = 2000;
export const REPLAY_TARGET_BYTES = 200 * 1024 * 1024;

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

/** REPLAY_EVENTS events from the boot state: generated command lists concatenated into one run. */
export function replayTrace(): ReturnType<typeof makeTrace> {
  const lists = fc.sample(commands(TRACE_COMMANDS), { seed: BENCH_SEED, numRuns: Math.ceil((4 * REPLAY_EVENTS) / TRACE_COMMANDS) });
  const flat = lists.flat().slice(0, REPLAY_EVENTS);
  if (flat.length < REPLAY_EVENTS) throw new Error(`bench: only ${flat.length} commands generated for the replay trace`);
  const outcome = runCommands(flat, { invariants: [] });
  return makeTrace({ steps: outcome.steps.map(({ event, result }) => ({ event, result, violations: [] })) });
}

function replayOnce(trace: ReturnType<typeof makeTrace>, invariants: readonly Invariant[], gc: Collector | null): ReplayFigure {
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
