// The bench's seeded-bugs section: for every seeded bug of the syscall model and of the protocol
// models, what `mntns check --mutant BUG --skip-saved` does, run through the library with ten
// seeds derived from the bench seed: the time to the first counterexample, the time until the
// shrunk one is ready (the check's whole run), and the runs needed; per bug the median over the
// seeds and the slowest seed, against the target of a median of at most 1 s to the first.
//
// A protocol bug's figures are its protocol's campaign only: the syscall model's correct budget
// that `mntns check --mutant` also runs is the same for every protocol bug and finds nothing.
// A seed whose campaign ends without a counterexample is NOT FOUND. With a cap (the default in
// `npm run bench`), a seed that has found nothing after the cap's time stops there and is reported
// as capped, never as found; a cap of twice the target cannot change a bug's met/NO verdict (a
// median of at most 1 s needs the upper middle seed at most 2 s).
import type { SeededBugId } from '../model/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, SEEDED_BUGS } from '../properties/index.js';
import type { ProtocolSeededBug } from '../protocols/index.js';
import { PROTOCOL_DEFAULT_BUDGET, PROTOCOL_SEEDED_BUGS, runProtocolBug } from '../protocols/index.js';
import { runCampaign } from '../traces/index.js';

export const SEEDS_PER_BUG = 10;
/** The project's target: every seeded bug found by `mntns check` in at most this, median over seeds. */
export const TARGET_FIND_MS = 1000;
/** The default cap on a seed's search before its first counterexample (twice the target). */
export const DEFAULT_CAP_MS = 2 * TARGET_FIND_MS;

/** Seed `index` (0-based) of the bench seed's sequence: distinct, deterministic, spread over 32 bits. */
export function derivedSeed(benchSeed: number, index: number): number {
  return (Math.imul(index + 1, 0x85ebca6b) ^ benchSeed) | 0;
}

export const derivedSeeds = (benchSeed: number, count: number): number[] => Array.from({ length: count }, (_unused, index) => derivedSeed(benchSeed, index));

/** One seed's campaign against one seeded bug. */
export type SeedOutcome =
  | {
      readonly seed: number;
      readonly outcome: 'found';
      /** Run (1-based) that failed first. */
      readonly runs: number;
      readonly msToFirst: number;
      /** Until the shrunk counterexample is ready: the campaign's whole time. */
      readonly msToShrunk: number;
      readonly rawLength: number;
      readonly shrunkLength: number;
      /** The invariants the shrunk counterexample breaks. */
      readonly fired: readonly string[];
    }
  | {
      readonly seed: number;
      /** not-found: every default run held; capped: the cap stopped the search first. */
      readonly outcome: 'not-found' | 'capped';
      readonly runs: number;
      readonly ms: number;
    };

export interface BugFigure {
  readonly model: 'syscall' | 'nsfs-stash' | 'mntput-fast-path';
  readonly bug: string;
  /** The invariant the registry says must catch it. */
  readonly invariant: string;
  /** The command whose semantics each seed runs (with --seed). */
  readonly command: string;
  readonly seeds: readonly SeedOutcome[];
  readonly found: number;
  /** Medians over the seeds, a seed not found counting as slower than any found; null when the median falls on one. */
  readonly medianMsToFirst: number | null;
  readonly medianMsToShrunk: number | null;
  readonly medianRuns: number | null;
  /** The seed with the longest time to the first counterexample (a seed not found first). */
  readonly slowest: SeedOutcome | null;
  readonly targetMs: number;
  readonly targetMet: boolean;
}

export interface SeededBugsFigure {
  readonly benchSeed: number;
  readonly seedsPerBug: number;
  readonly seeds: readonly number[];
  readonly syscallRuns: number;
  readonly protocolRuns: number;
  /** The cap on a seed's search before its first counterexample; null for none. */
  readonly capMs: number | null;
  readonly bugs: readonly BugFigure[];
  readonly elapsedMs: number;
}

/** The median, the mean of the two middle values for an even count; Infinity sorts last. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  const value = sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
  return Number.isFinite(value) ? value : null;
}

const firstMs = (seed: SeedOutcome): number => (seed.outcome === 'found' ? seed.msToFirst : Number.POSITIVE_INFINITY);

/** A bug's figures from its seeds' outcomes. */
export function summariseBug(bug: Pick<BugFigure, 'model' | 'bug' | 'invariant' | 'command'>, seeds: readonly SeedOutcome[], targetMs: number = TARGET_FIND_MS): BugFigure {
  const found = seeds.filter((seed) => seed.outcome === 'found');
  const infinite = (seed: SeedOutcome, value: number): number => (seed.outcome === 'found' ? value : Number.POSITIVE_INFINITY);
  const medianMsToFirst = median(seeds.map(firstMs));
  let slowest: SeedOutcome | null = null;
  for (const seed of seeds) if (slowest === null || firstMs(seed) > firstMs(slowest)) slowest = seed;
  return {
    ...bug,
    seeds,
    found: found.length,
    medianMsToFirst,
    medianMsToShrunk: median(seeds.map((seed) => infinite(seed, seed.outcome === 'found' ? seed.msToShrunk : 0))),
    medianRuns: median(seeds.map((seed) => infinite(seed, seed.runs))),
    slowest,
    targetMs,
    targetMet: medianMsToFirst !== null && medianMsToFirst <= targetMs,
  };
}

/** What a seed's counterexample shows: when it was met, when it was shrunk, and what fired. */
function foundOutcome(
  seed: number,
  found: { readonly run: number; readonly msToFind: number; readonly rawLength: number; readonly steps: readonly unknown[]; readonly violations: readonly { readonly invariant: string }[] },
  msToShrunk: number,
): SeedOutcome {
  return {
    seed,
    outcome: 'found',
    runs: found.run,
    msToFirst: found.msToFind,
    msToShrunk,
    rawLength: found.rawLength,
    shrunkLength: found.steps.length,
    fired: [...new Set(found.violations.map((violation) => violation.invariant))],
  };
}

async function syscallSeed(bug: SeededBugId, seed: number, capMs: number | null): Promise<SeedOutcome> {
  const started = performance.now();
  const result = await runCampaign({ seed, runs: DEFAULT_RUNS, timeLimitMs: capMs, bug, maxCommands: DEFAULT_MAX_COMMANDS, stats: false, saved: [] });
  const msToShrunk = performance.now() - started;
  const found = result.counterexample;
  if (found === null) return { seed, outcome: result.stoppedBy === 'time-limit' ? 'capped' : 'not-found', runs: result.runsDone, ms: msToShrunk };
  return foundOutcome(seed, found, msToShrunk);
}

/** A protocol campaign has no time limit; its default budget runs well under the cap. */
function protocolSeed(bug: ProtocolSeededBug, seed: number): SeedOutcome {
  const started = performance.now();
  const result = runProtocolBug(bug, { ...PROTOCOL_DEFAULT_BUDGET, seed });
  const msToShrunk = performance.now() - started;
  const found = result.counterexample;
  if (found === null) return { seed, outcome: 'not-found', runs: result.runsDone, ms: msToShrunk };
  return foundOutcome(seed, found, msToShrunk);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function measureSeededBugs(benchSeed: number, capMs: number | null, onBug?: (figure: BugFigure) => void): Promise<SeededBugsFigure> {
  const started = performance.now();
  const seeds = derivedSeeds(benchSeed, SEEDS_PER_BUG);
  // Warm-up: the reducer, the invariants and the shrinker compiled before the first timed seed.
  const first = SEEDED_BUGS[0];
  if (first !== undefined) await syscallSeed(first.id, benchSeed, capMs);
  const bugs: BugFigure[] = [];
  const add = (figure: BugFigure): void => {
    bugs.push(figure);
    onBug?.(figure);
  };
  for (const bug of SEEDED_BUGS) {
    const outcomes: SeedOutcome[] = [];
    for (const seed of seeds) outcomes.push(await syscallSeed(bug.id, seed, capMs));
    add(summariseBug({ model: 'syscall', bug: bug.id, invariant: bug.invariant, command: `mntns check --mutant ${bug.id} --skip-saved` }, outcomes));
  }
  for (const bug of PROTOCOL_SEEDED_BUGS) {
    const outcomes = seeds.map((seed) => protocolSeed(bug, seed));
    add(summariseBug({ model: bug.protocol, bug: bug.id, invariant: bug.invariant, command: `mntns check --mutant ${bug.id} --skip-saved (its protocol's campaign)` }, outcomes));
    await nextTurn();
  }
  return {
    benchSeed,
    seedsPerBug: SEEDS_PER_BUG,
    seeds,
    syscallRuns: DEFAULT_RUNS,
    protocolRuns: PROTOCOL_DEFAULT_BUDGET.runs,
    capMs,
    bugs,
    elapsedMs: performance.now() - started,
  };
}
