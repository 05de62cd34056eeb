// (6) Model against kernel on the same traces: the campaign's generated traces (mntns oracle's
// events for runs 1..ORACLE_TRACES of the bench seed) replayed by the harness and by step().
// Kernel time is the wall time of runOnKernel() per trace: spawning the harness, its sandbox
// (unshare of the mount and pid namespaces, the tmpfs root, pivot_root), every syscall, reading
// every live task's namespace and one mountinfo per namespace after each step, and the pipe and
// its parsing in node; the same figure without the start-up is given too, the start-up being the
// median wall time of a run of no events. Model time is step() alone on the same events (whole
// passes, as the other throughputs). Nothing here asserts a timing.
import type { Event } from '../model/index.js';
import { initialState, setFreezing } from '../model/index.js';
import { campaignEvents, oracleUnavailable, runOnKernel } from '../oracle/index.js';
import { DEFAULT_MAX_COMMANDS } from '../properties/index.js';
import { reducerPass, throughput } from './measure.js';
import { BENCH_SEED } from './workloads.js';

export const ORACLE_TRACES = 40;
const STARTUP_SAMPLES = 9;

export type OracleFigure =
  | {
      readonly measured: true;
      readonly traces: number;
      readonly events: number;
      readonly kernelMs: number;
      readonly startupMs: number;
      readonly kernelEventsPerSecond: number;
      /** Events per second of the harness once started: (kernelMs - traces * startupMs). */
      readonly kernelEventsPerSecondAfterStartup: number;
      readonly modelEventsPerSecond: number;
      /** model events/s over kernel events/s. */
      readonly ratio: number;
      readonly ratioAfterStartup: number;
    }
  | { readonly measured: false; readonly reason: string };

async function wallMs(events: readonly Event[]): Promise<number> {
  const start = performance.now();
  const run = await runOnKernel(events);
  const elapsed = performance.now() - start;
  if (run.fatal !== null || run.steps.length !== events.length) throw new Error(`bench oracle: the harness stopped: ${run.fatal ?? `${run.steps.length} of ${events.length} steps`}`);
  return elapsed;
}

export async function measureOracle(): Promise<OracleFigure> {
  const unavailable = oracleUnavailable();
  if (unavailable !== null) return { measured: false, reason: unavailable };
  const traces = Array.from({ length: ORACLE_TRACES }, (_unused, index) => campaignEvents(BENCH_SEED, index + 1, DEFAULT_MAX_COMMANDS));
  const events = traces.reduce((sum, trace) => sum + trace.length, 0);
  await wallMs(traces[0] ?? []); // warm-up: the harness binary and node's child-process path
  const startups: number[] = [];
  for (let sample = 0; sample < STARTUP_SAMPLES; sample++) startups.push(await wallMs([]));
  const startupMs = startups.sort((a, b) => a - b)[Math.floor(STARTUP_SAMPLES / 2)] ?? 0;
  let kernelMs = 0;
  for (const trace of traces) kernelMs += await wallMs(trace);
  setFreezing(true);
  const model = throughput({ name: 'oracle', start: initialState(), traces, events, violatedTraces: 0 }, reducerPass, false);
  const kernelEventsPerSecond = (events / kernelMs) * 1000;
  const kernelEventsPerSecondAfterStartup = (events / Math.max(kernelMs - traces.length * startupMs, 1e-3)) * 1000;
  return {
    measured: true,
    traces: traces.length,
    events,
    kernelMs,
    startupMs,
    kernelEventsPerSecond,
    kernelEventsPerSecondAfterStartup,
    modelEventsPerSecond: model.eventsPerSecond,
    ratio: model.eventsPerSecond / kernelEventsPerSecond,
    ratioAfterStartup: model.eventsPerSecond / kernelEventsPerSecondAfterStartup,
  };
}
