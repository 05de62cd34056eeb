// Differential fuzzing's two parts that touch no figure: the events of run N (the project's
// random interleavings, properties/generators.ts, resolved on the model) and the shrinking of a
// disagreement to a shorter trace that still disagrees with the same kind (the prefix up to the
// first difference, then single events dropped, last first, while the disagreement stays).
import fc from 'fast-check';
import type { Event } from '../model/index.js';
import { chunkSeed, commands, runCommands } from '../properties/index.js';
import type { Comparison, StepComparison } from './compare.js';
import { unexplained } from './compare.js';
import { disagreementKind } from './tally.js';

/** Replays events on the model and on the kernel (compareWithKernel, or a stand-in in the tests). */
export type Compare = (events: readonly Event[]) => Promise<Comparison>;

/** The events of run `run` of a campaign: seed + run seeds the generator, as mntns oracle always has. */
export function campaignEvents(seed: number, run: number, maxCommands: number): readonly Event[] {
  // the seed of each run is mixed from the campaign's as mntns check mixes its chunks', so campaigns of
  // nearby seeds do not share their runs
  const [list] = fc.sample(commands(maxCommands), { seed: chunkSeed(seed, run), numRuns: 1 });
  return runCommands(list ?? []).steps.map((recorded) => recorded.event);
}

export const firstDifference = (comparison: Comparison): StepComparison | undefined => comparison.steps.find(unexplained);

export interface Shrunk {
  /** The shrunk trace's steps up to and including the differing one, with the model's results. */
  readonly steps: readonly StepComparison[];
  /** False when shrinking was stopped (Ctrl-C) before it had tried every single-event removal. */
  readonly complete: boolean;
}

/**
 * Shrink events whose first unexplained difference is of kind `target`. Returns null when the
 * events no longer disagree so (a kernel that is not deterministic here, or a stop before the
 * first replay). `shouldStop` is asked before each replay.
 */
export async function shrinkDisagreement(events: readonly Event[], target: string, compare: Compare, shouldStop: () => boolean = () => false): Promise<Shrunk | null> {
  const disagreesAlike = async (candidate: readonly Event[]): Promise<Comparison | null> => {
    const comparison = await compare(candidate);
    const found = firstDifference(comparison);
    return found !== undefined && disagreementKind(found) === target ? comparison : null;
  };
  if (shouldStop()) return null;
  let comparison = await disagreesAlike(events);
  if (comparison === null) return null;
  const prefix = (found: Comparison): readonly StepComparison[] => found.steps.slice(0, (firstDifference(found)?.index ?? found.steps.length));
  let steps = prefix(comparison);
  for (let index = steps.length - 2; index >= 0; index--) {
    if (shouldStop()) return { steps, complete: false };
    const current = steps.map((entry) => entry.event);
    const candidate = [...current.slice(0, index), ...current.slice(index + 1)];
    comparison = await disagreesAlike(candidate);
    if (comparison !== null) {
      steps = prefix(comparison);
      index = Math.min(index, steps.length - 1);
    }
  }
  return { steps, complete: true };
}
