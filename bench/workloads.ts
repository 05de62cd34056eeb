// What the bench runs: generated command lists, resolved once to concrete events by running them,
// so that the timed loops do step() (and the invariants) and nothing else. Every workload comes
// from the same fixed seed, so two runs of the bench time the same events.
import fc from 'fast-check';
import type { Event, State } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import type { Command } from '../properties/index.js';
import { commands, DEFAULT_SEED, runCommands } from '../properties/index.js';

/** The seed of every generated workload (the check campaign's default seed). */
export const BENCH_SEED = DEFAULT_SEED;
/** Longest generated command list, as in `mntns check`. */
export const TRACE_COMMANDS = 40;
/** How many generated command lists make up the small and the large workload. */
export const TRACE_COUNT = 200;
/** The prelude of the large workload: directories under /srv, each with a tmpfs, then binds. */
export const PRELUDE_TMPFS = 24;
export const PRELUDE_BINDS = 8;
/** Mounts in the initial namespace after the prelude: rootfs, the root tmpfs and /proc, then those. */
export const PRELUDE_MOUNTS = 3 + PRELUDE_TMPFS + PRELUDE_BINDS;
/** Length of the one long trace whose every state the memory figure keeps. */
export const LONG_TRACE_EVENTS = 10_000;

export interface Workload {
  readonly name: string;
  /** Every trace starts from this state. */
  readonly start: State;
  readonly traces: readonly (readonly Event[])[];
  readonly events: number;
  /** Traces whose resolving run broke an invariant (cut at that event); 0 for a sound model. */
  readonly violatedTraces: number;
}

export interface MountStats {
  /** Entries of state.mounts (every namespace, detached and internal mounts), mean over states. */
  readonly meanMounts: number;
  /** nr_mounts of the state's largest namespace, mean and least over states. */
  readonly meanLargestNs: number;
  readonly minLargestNs: number;
  /** Share of states with LARGE_MOUNTS or more mounts in their largest namespace. */
  readonly shareLarge: number;
}

/** What "a large state" means for the project's target. */
export const LARGE_MOUNTS = 30;

const at = (actor: number, event: Command['event']): Command => ({ actor, event });
const srv = (kind: 'm' | 'b', index: number): string => `/srv/${kind}${String(index).padStart(2, '0')}`;

/**
 * Commands of task 1 that leave 3 + PRELUDE_TMPFS + PRELUDE_BINDS mounts in the initial namespace.
 * /srv is outside the generators' path vocabulary, so generated commands seldom unmount them.
 */
export function preludeCommands(): Command[] {
  const prelude: Command[] = [at(0, { type: 'mkdir', path: '/srv' })];
  for (let index = 0; index < PRELUDE_TMPFS; index++) {
    prelude.push(at(0, { type: 'mkdir', path: srv('m', index) }));
    prelude.push(at(0, { type: 'mount', source: 'none', target: srv('m', index), fstype: 'tmpfs', flags: [] }));
  }
  for (let index = 0; index < PRELUDE_BINDS; index++) {
    prelude.push(at(0, { type: 'mkdir', path: srv('b', index) }));
    prelude.push(at(0, { type: 'mount', source: srv('m', index), target: srv('b', index), fstype: null, flags: ['MS_BIND'] }));
  }
  return prelude;
}

/** The state after the prelude; throws if a prelude command fails (a bug in the bench). */
export function preludeState(prelude: readonly Command[]): State {
  const outcome = runCommands(prelude);
  for (const { event, result } of outcome.steps) {
    if (!result.ok) throw new Error(`bench prelude: ${event.type} failed with ${result.errno} at ${result.check}`);
  }
  if (outcome.failure !== null) throw new Error(`bench prelude breaks ${outcome.failure.violations[0]?.invariant ?? 'an invariant'}`);
  return outcome.state;
}

function sampleCommandLists(count: number): Command[][] {
  return fc.sample(commands(TRACE_COMMANDS), { seed: BENCH_SEED, numRuns: count });
}

/** Resolve each list after `prefix` by running it (invariants on); keep the events after the prefix. */
function resolve(name: string, start: State, prefix: readonly Command[], lists: readonly Command[][]): Workload {
  let violatedTraces = 0;
  const traces = lists.map((list) => {
    const outcome = runCommands([...prefix, ...list]);
    if (outcome.failure !== null) violatedTraces++;
    return outcome.steps.slice(prefix.length).map((traceStep) => traceStep.event);
  });
  const events = traces.reduce((sum, trace) => sum + trace.length, 0);
  return { name, start, traces, events, violatedTraces };
}

/** Generated traces from the boot state (3 mounts in the namespace). */
export function smallWorkload(): Workload {
  return resolve('small', initialState(), [], sampleCommandLists(TRACE_COUNT));
}

/** The same generated command lists, each run after the prelude (35 mounts in the namespace). */
export function largeWorkload(): Workload {
  const prelude = preludeCommands();
  return resolve('large', preludeState(prelude), prelude, sampleCommandLists(TRACE_COUNT));
}

/**
 * One long trace: generated command lists appended into one run of LONG_TRACE_EVENTS events after
 * the prelude. Nothing resets the state, so tasks, namespaces and mounts pile up along it.
 */
export function longWorkload(): Workload {
  const prelude = preludeCommands();
  const start = preludeState(prelude);
  const perList = TRACE_COMMANDS / 2;
  const flat = sampleCommandLists(Math.ceil((2 * LONG_TRACE_EVENTS) / perList)).flat().slice(0, LONG_TRACE_EVENTS);
  if (flat.length < LONG_TRACE_EVENTS) throw new Error(`bench: only ${flat.length} commands generated for the long trace`);
  const outcome = runCommands([...prelude, ...flat], { invariants: [] });
  const trace = outcome.steps.slice(prelude.length).map((traceStep) => traceStep.event);
  return { name: 'long', start, traces: [trace], events: trace.length, violatedTraces: 0 };
}

function largestNamespace(state: State): number {
  let largest = 0;
  for (const ns of Object.values(state.mntNamespaces)) largest = Math.max(largest, ns.nr_mounts);
  return largest;
}

/** Every state the workload's events produce, in order (the states the bench measures). */
export function* workloadStates(workload: Workload): Generator<State> {
  for (const trace of workload.traces) {
    let state = workload.start;
    for (const event of trace) {
      state = step(state, event).state;
      yield state;
    }
  }
}

export function mountStats(states: Iterable<State>): MountStats {
  let count = 0;
  let mounts = 0;
  let largest = 0;
  let minLargest = Number.POSITIVE_INFINITY;
  let large = 0;
  for (const state of states) {
    count++;
    mounts += Object.keys(state.mounts).length;
    const ns = largestNamespace(state);
    largest += ns;
    minLargest = Math.min(minLargest, ns);
    if (ns >= LARGE_MOUNTS) large++;
  }
  return {
    meanMounts: count === 0 ? 0 : mounts / count,
    meanLargestNs: count === 0 ? 0 : largest / count,
    minLargestNs: count === 0 ? 0 : minLargest,
    shareLarge: count === 0 ? 0 : large / count,
  };
}
