// Recording a trace: run events through the model from the boot state and keep, per step, the
// result and the invariant verdict, going on past a violation (a regression trace records every
// step). Comparing a recording with a replay names the first step whose result or verdict differs.
import type { Event, ModelOptions, Result } from '../model/index.js';
import type { Violation } from '../properties/index.js';
import { History, matchResult } from './history.js';
import type { RecordedStep } from './trace.js';
import { makeTrace } from './trace.js';
import { formatReturn } from './print.js';

/** Every step of `events` with its result and the invariants violated after it (a History run to the end). */
export function recordSteps(events: readonly Event[], model: ModelOptions): RecordedStep[] {
  const history = new History(makeTrace({ steps: events.map((event) => ({ event, result: null, violations: [] })) }), { model });
  history.goto(events.length);
  return history.computed.map((applied) => ({ event: applied.event, result: applied.result, violations: applied.violations }));
}

export type StepDifference =
  | { readonly step: number; readonly kind: 'result'; readonly recorded: Result; readonly replayed: Result }
  | { readonly step: number; readonly kind: 'verdict'; readonly recorded: readonly string[]; readonly replayed: readonly string[] };

/** Two results are the same when they agree on value and fds, or on errno and the failing check. */
export const sameResult = (a: Result, b: Result): boolean => matchResult(a, b).kind === 'same';

const verdictOf = (violations: readonly Violation[]): string[] => [...new Set(violations.map((violation) => violation.invariant))].sort();

/**
 * The steps (1-based) whose replayed result or verdict differs from the recorded one. Steps without
 * a recorded result are not compared.
 */
export function compareRecording(recorded: readonly RecordedStep[], replayed: readonly RecordedStep[]): StepDifference[] {
  const differences: StepDifference[] = [];
  recorded.forEach((was, index) => {
    const now = replayed[index];
    if (was.result === null || now === undefined || now.result === null) return;
    if (!sameResult(was.result, now.result)) differences.push({ step: index + 1, kind: 'result', recorded: was.result, replayed: now.result });
    const before = verdictOf(was.violations);
    const after = verdictOf(now.violations);
    if (before.join() !== after.join()) differences.push({ step: index + 1, kind: 'verdict', recorded: before, replayed: after });
  });
  return differences;
}

/** "step 4: recorded = 0, replayed = -1 EBUSY (...)"; "step 6: recorded every invariant held, replayed no-leak violated". */
export function describeDifference(difference: StepDifference): string {
  if (difference.kind === 'result') {
    return `step ${difference.step}: recorded ${formatReturn(difference.recorded)}, replayed ${formatReturn(difference.replayed)}`;
  }
  const verdict = (names: readonly string[]): string => (names.length === 0 ? 'every invariant held' : `${names.join(', ')} violated`);
  return `step ${difference.step}: recorded ${verdict(difference.recorded)}, replayed ${verdict(difference.replayed)}`;
}
