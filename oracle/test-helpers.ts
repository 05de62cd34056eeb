// Helpers of the oracle's tests: which mount namespaces the machine's processes are in, and a
// stand-in for the kernel for the tests that cannot run it.
import { readdirSync, readlinkSync } from 'node:fs';
import type { Event } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import type { StepComparison } from './compare.js';
import { differences, observeModel, unexplained } from './compare.js';
import { deviationsAt } from './deviations.js';
import type { Compare } from './fuzz.js';

/** The mount namespaces of every process on the machine. */
export function namespacesInUse(): Set<string> {
  const links = new Set<string>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      links.add(readlinkSync(`/proc/${pid}/ns/mnt`));
    } catch {
      // gone meanwhile, or not readable
    }
  }
  return links;
}

export async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Events written as plain JSON, as in a trace file (task numbers unbranded). */
export const asEvents = (list: readonly object[]): Event[] => list as unknown as Event[];
export const event = (plain: object): Event => plain as unknown as Event;

/**
 * A stand-in for the kernel in tests that need no root: the model itself, except where
 * `kernelResult` gives the kernel another result for a step ("-1 EROFS", "0"), and except that the
 * harness "stops" before step `stopBefore` (1-based) when it is given. Deviations apply as they
 * do against the kernel.
 */
export function modelAsKernel(kernelResult: (event: Event, modelResult: string) => string | null = () => null, stopBefore?: number): Compare {
  return async (events) => {
    let state = initialState();
    const steps: StepComparison[] = events.map((entry, index) => {
      const outcome = step(state, entry);
      state = outcome.state;
      const model = observeModel(state, outcome.result);
      const kernel = stopBefore !== undefined && index + 1 >= stopBefore ? null : { ...model, result: kernelResult(entry, model.result) ?? model.result };
      const found = kernel === null ? ['the kernel harness stopped before this step'] : differences(model, kernel);
      return { index: index + 1, event: entry, modelResult: outcome.result, model, kernel, differences: found, deviations: found.length === 0 ? [] : deviationsAt(events.slice(0, index + 1)) };
    });
    const fatal = stopBefore !== undefined && stopBefore <= events.length ? 'oracle: the harness stopped (a stand-in)' : null;
    return { steps, fatal, agree: fatal === null && !steps.some(unexplained), timing: { kernelMs: 0, modelMs: 0 } };
  };
}
