// The bench's explore section: `mntns explore` at its default depth and vocabulary through the
// library, with no worker thread (expansion in the calling thread: one core), with one worker
// thread (expansion on one core, the merge in the calling thread) and with the default worker
// threads (one per logical core), in distinct states per second. The whole time counts
// worker start-up; the figure without it takes away the time to the first expanded chunk (the
// boot state's one-path chunk of depth 1: the workers' start-up plus one tiny expansion), and the
// states of that first level.
import { availableParallelism } from 'node:os';
import type { ExploreResult } from '../properties/index.js';
import { DEFAULT_DEPTH, DEFAULT_VOCABULARY, explore } from '../properties/index.js';

/** The project's target: distinct states per second on one core. */
export const TARGET_STATES_PER_SECOND = 50_000;

export interface ExploreFigure {
  /** 0: expansion in the calling thread. */
  readonly workers: number;
  readonly command: string;
  readonly depth: number;
  readonly vocabularySize: number;
  readonly stoppedBy: string;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly elapsedMs: number;
  /** Time to the first expanded chunk: start-up (threads loading the model) plus one small expansion. */
  readonly startupMs: number;
  readonly statesPerSecond: number;
  readonly statesPerSecondAfterStartup: number;
  /** The target applies to one core: the runs with no worker thread and with one. */
  readonly targetStatesPerSecond: number | null;
  readonly targetMet: boolean | null;
}

const perSecond = (count: number, ms: number): number => (ms <= 0 ? 0 : (count * 1000) / ms);

/** The figures of one finished exploration; `startupMs` from its first progress report. */
export function exploreFigure(result: ExploreResult, workers: number, startupMs: number): ExploreFigure {
  const firstLevel = result.levels[0]?.newStates ?? 0;
  const oneCore = workers <= 1;
  const statesPerSecond = perSecond(result.distinctStates, result.elapsedMs);
  return {
    workers,
    command: `mntns explore --workers ${workers}`,
    depth: result.depth,
    vocabularySize: result.vocabularySize,
    stoppedBy: result.stoppedBy,
    distinctStates: result.distinctStates,
    transitions: result.transitions,
    elapsedMs: result.elapsedMs,
    startupMs,
    statesPerSecond,
    // The boot state and depth 1's states are found by the time the first chunk is back.
    statesPerSecondAfterStartup: perSecond(result.distinctStates - 1 - firstLevel, result.elapsedMs - startupMs),
    targetStatesPerSecond: oneCore ? TARGET_STATES_PER_SECOND : null,
    targetMet: oneCore ? statesPerSecond >= TARGET_STATES_PER_SECOND : null,
  };
}

async function exploreOnce(workers: number): Promise<ExploreFigure> {
  let startupMs: number | null = null;
  const result = await explore({
    depth: DEFAULT_DEPTH,
    vocabulary: DEFAULT_VOCABULARY,
    bug: null,
    workers,
    shard: null,
    timeLimitMs: null,
    onProgress: (progress) => {
      startupMs ??= progress.elapsedMs;
    },
  });
  return exploreFigure(result, workers, startupMs ?? 0);
}

/** The default depth and vocabulary with no worker thread, one, and the default workers (after a warm-up run). */
export async function measureExplore(): Promise<ExploreFigure[]> {
  await explore({ depth: Math.min(2, DEFAULT_DEPTH), vocabulary: DEFAULT_VOCABULARY, bug: null, workers: 0, shard: null, timeLimitMs: null });
  const figures: ExploreFigure[] = [];
  for (const workers of new Set([0, 1, Math.max(1, availableParallelism())])) figures.push(await exploreOnce(workers));
  return figures;
}
