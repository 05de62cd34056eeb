// Differential fuzzing: the project's random interleavings (properties/generators.ts) replayed on
// the model and on the kernel; each disagreement is shrunk to a shorter trace that still
// disagrees at the same kind of step (the prefix up to the first difference, then single events
// dropped while the disagreement stays).
import fc from 'fast-check';
import type { Event } from '../model/index.js';
import { commands, runCommands } from '../properties/index.js';
import type { Comparison, StepComparison } from './compare.js';
import { compareWithKernel, unexplained } from './compare.js';
import type { HarnessOptions } from './harness.js';

export interface Disagreement {
  readonly run: number;
  readonly events: readonly Event[]; // shrunk
  readonly originalLength: number;
  readonly step: StepComparison; // the first differing step of the shrunk trace
}

export interface FuzzSettings {
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly harness?: HarnessOptions;
  readonly onRun?: (run: number, disagreements: number) => void;
}

const firstDifference = (comparison: Comparison): StepComparison | undefined => comparison.steps.find(unexplained);

/** The same kind of disagreement: the same syscall disagreeing in the same part (result or table). */
const kind = (entry: StepComparison): string => `${entry.event.type}:${entry.differences[0]?.split(':')[0] ?? ''}`;

async function shrink(events: readonly Event[], target: string, harness: HarnessOptions): Promise<{ events: readonly Event[]; step: StepComparison } | null> {
  const disagreesAlike = async (candidate: readonly Event[]): Promise<StepComparison | null> => {
    const found = firstDifference(await compareWithKernel(candidate, {}, harness));
    return found !== undefined && kind(found) === target ? found : null;
  };
  let current = events;
  let step = await disagreesAlike(current);
  if (step === null) return null;
  current = current.slice(0, step.index);
  for (let index = current.length - 2; index >= 0; index--) {
    const candidate = [...current.slice(0, index), ...current.slice(index + 1)];
    const found = await disagreesAlike(candidate);
    if (found !== null) {
      current = candidate.slice(0, found.index);
      step = found;
      index = Math.min(index, current.length - 1);
    }
  }
  return { events: current, step };
}

export async function fuzzAgainstKernel(settings: FuzzSettings): Promise<Disagreement[]> {
  const harness = settings.harness ?? {};
  const found: Disagreement[] = [];
  const seen = new Set<string>();
  for (let run = 1; run <= settings.runs; run++) {
    const [list] = fc.sample(commands(settings.maxCommands), { seed: settings.seed + run, numRuns: 1 });
    const events = runCommands(list ?? []).steps.map((recorded) => recorded.event);
    const difference = firstDifference(await compareWithKernel(events, {}, harness));
    if (difference !== undefined && !seen.has(kind(difference))) {
      seen.add(kind(difference));
      const shrunk = await shrink(events, kind(difference), harness);
      if (shrunk !== null) found.push({ run, events: shrunk.events, originalLength: events.length, step: shrunk.step });
    }
    settings.onRun?.(run, found.length);
  }
  return found;
}
