// The main job: every invariant over random interleavings. Runs go in chunks of fixed size, each
// chunk a fast-check run with a seed derived from the campaign's seed, so the same seed and
// settings always explore the same sequences, and the event loop gets a turn between chunks
// (progress, Ctrl-C, the time limit).
import fc from 'fast-check';
import type { SeededBugId } from '../model/index.js';
import type { Command } from './commands.js';
import type { Feature } from './features.js';
import { FEATURES } from './features.js';
import { commands, MAX_COMMANDS } from './generators.js';
import type { Violation } from './invariant.js';
import { INVARIANT_NAMES } from './invariants/index.js';
import type { TraceStep } from './run.js';
import { runCommands } from './run.js';
import type { OutcomeHits, OutcomeTally } from './outcomes.js';
import { newOutcomeTally, outcomeHits } from './outcomes.js';

/** The embedded default budget of `mntns check`. */
export const DEFAULT_RUNS = 5000;
export const DEFAULT_SEED = 20261121;
export const CHUNK_RUNS = 50;

export interface CheckSettings {
  readonly seed: number;
  readonly runs: number;
  readonly timeLimitMs: number | null;
  readonly bug: SeededBugId | null;
  readonly maxCommands: number;
  readonly stats: boolean;
  /** This machine's share of the campaign: chunks index-1, index-1+count, ... (1-based index). */
  readonly shard?: { readonly index: number; readonly count: number } | null;
  readonly onProgress?: (progress: CheckProgress) => void;
  readonly shouldStop?: () => boolean;
  /** Called the moment a counterexample is found, before shrinking. */
  readonly onRawCounterexample?: (steps: readonly TraceStep[], violations: readonly Violation[]) => void;
  /** Called with each shorter counterexample fast-check's shrinking finds, so progress can be saved. */
  readonly onShrinkProgress?: (steps: readonly TraceStep[], violations: readonly Violation[]) => void;
  /** Where the outcome of every explored event is counted (a fresh tally when absent). */
  readonly outcomes?: OutcomeTally;
}

export interface CheckProgress {
  readonly runsDone: number;
  readonly runsPlanned: number;
  readonly events: number;
  readonly elapsedMs: number;
}

export interface Counterexample {
  /** 1-based index of the run that failed first. */
  readonly run: number;
  readonly msToFind: number;
  readonly rawLength: number;
  readonly steps: readonly TraceStep[];
  readonly violations: readonly Violation[];
  readonly shrinks: number;
}

export type StopReason = 'runs' | 'time-limit' | 'interrupted' | 'violation';

export interface CheckResult {
  readonly seed: number;
  readonly runsPlanned: number;
  readonly runsDone: number;
  readonly events: number;
  readonly maxCommands: number;
  readonly bug: SeededBugId | null;
  readonly invariants: readonly string[];
  readonly elapsedMs: number;
  readonly stoppedBy: StopReason;
  readonly counterexample: Counterexample | null;
  /** Runs that reached each deep state (only with stats). */
  readonly features: Readonly<Record<Feature, number>> | null;
  /** How often each syscall ended in each outcome, over the events counted in `events`. */
  readonly outcomes: readonly OutcomeHits[];
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The runs of a campaign of `runs` that fall to a shard. */
export function plannedRuns(runs: number, shard: { readonly index: number; readonly count: number }): number {
  let planned = 0;
  for (let chunk = shard.index - 1; chunk * CHUNK_RUNS < runs; chunk += shard.count) planned += Math.min(CHUNK_RUNS, runs - chunk * CHUNK_RUNS);
  return planned;
}

/** The fast-check seed of chunk `index` of a campaign. */
export function chunkSeed(seed: number, index: number): number {
  return (Math.imul(index + 1, 0x9e3779b1) ^ seed) | 0;
}

export async function runCheck(settings: CheckSettings): Promise<CheckResult> {
  const started = performance.now();
  const model = settings.bug === null ? {} : { bug: settings.bug };
  const features: Record<Feature, number> | null = settings.stats
    ? (Object.fromEntries(Object.keys(FEATURES).map((name) => [name, 0])) as Record<Feature, number>)
    : null;
  let runsDone = 0;
  let events = 0;
  let stoppedBy: StopReason = 'runs';
  let counterexample: Counterexample | null = null;
  const arbitrary = commands(settings.maxCommands);
  const outcomes = settings.outcomes ?? newOutcomeTally();

  const shard = settings.shard ?? { index: 1, count: 1 };
  const runsPlanned = plannedRuns(settings.runs, shard);
  for (let chunk = shard.index - 1; chunk * CHUNK_RUNS < settings.runs; chunk += shard.count) {
    if (settings.shouldStop?.() === true) {
      stoppedBy = 'interrupted';
      break;
    }
    if (settings.timeLimitMs !== null && performance.now() - started >= settings.timeLimitMs) {
      stoppedBy = 'time-limit';
      break;
    }
    const chunkRuns = Math.min(CHUNK_RUNS, settings.runs - chunk * CHUNK_RUNS);
    let failedAt: { run: number; ms: number; length: number } | null = null;
    let runsInChunk = 0;
    let shortest = Number.POSITIVE_INFINITY;
    const property = fc.property(arbitrary, (sequence: Command[]) => {
      const shrinking = failedAt !== null;
      const outcome = runCommands(sequence, shrinking ? { model } : { model, features: settings.stats, outcomes });
      if (shrinking && outcome.failure !== null && outcome.steps.length < shortest) {
        shortest = outcome.steps.length;
        settings.onShrinkProgress?.(outcome.steps, outcome.failure.violations);
      }
      if (!shrinking) {
        runsInChunk++;
        events += outcome.steps.length;
        if (features !== null) for (const feature of outcome.features) features[feature]++;
        if (outcome.failure !== null) {
          failedAt = { run: chunk * CHUNK_RUNS + runsInChunk, ms: performance.now() - started, length: outcome.steps.length };
          shortest = outcome.steps.length;
          settings.onRawCounterexample?.(outcome.steps, outcome.failure.violations);
        }
      }
      return outcome.failure === null;
    });
    const details = fc.check(property, { seed: chunkSeed(settings.seed, chunk), numRuns: chunkRuns });
    runsDone += runsInChunk;
    const found = failedAt as { run: number; ms: number; length: number } | null;
    if (details.failed && details.counterexample !== null && found !== null) {
      const [shrunk] = details.counterexample;
      const outcome = runCommands(shrunk, { model });
      if (outcome.failure !== null) {
        counterexample = {
          run: found.run,
          msToFind: found.ms,
          rawLength: found.length,
          steps: outcome.steps,
          violations: outcome.failure.violations,
          shrinks: details.numShrinks,
        };
      }
      stoppedBy = 'violation';
      break;
    }
    settings.onProgress?.({
      runsDone,
      runsPlanned,
      events,
      elapsedMs: performance.now() - started,
    });
    await nextTurn();
  }
  return {
    seed: settings.seed,
    runsPlanned,
    runsDone,
    events,
    maxCommands: settings.maxCommands,
    bug: settings.bug,
    invariants: INVARIANT_NAMES,
    elapsedMs: performance.now() - started,
    stoppedBy,
    counterexample,
    features,
    outcomes: outcomeHits(outcomes),
  };
}

export const DEFAULT_MAX_COMMANDS = MAX_COMMANDS;
