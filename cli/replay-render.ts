// How `mntns replay` prints one step: the event with the result the model gives now, a MISMATCH
// line where it differs from the recorded one, what the step changed, and the invariants' verdict.
import type { History, AppliedStep } from '../traces/index.js';
import { describeChanges, drawMountTrees, formatReturn, formatStep, holdersReport } from '../traces/index.js';
import type { ObjectRef } from '../properties/index.js';

const INDENT = '        ';
const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `${INDENT}${line}`)
    .join('\n');

export function matchLine(applied: AppliedStep): string | null {
  switch (applied.match.kind) {
    case 'same':
    case 'not-recorded':
      return null;
    case 'same-errno-other-check':
      return `same errno, other check: recorded ${formatReturn(applied.match.recorded)}`;
    case 'differs':
      return `MISMATCH: recorded ${formatReturn(applied.match.recorded)}`;
  }
}

/** The step that led to the history's current state, with what it changed and the verdict. */
export function renderCurrentStep(history: History): string {
  const applied = history.last;
  if (applied === null) return `   0  the boot state (${history.length} steps to go)`;
  const lines = [`${String(applied.number).padStart(4)}  ${formatStep(applied.event, applied.result)}`];
  const match = matchLine(applied);
  if (match !== null) lines.push(`${INDENT}${match}`);
  for (const change of describeChanges(history.stateBefore(), history.state, applied.patches)) lines.push(`${INDENT}${change}`);
  if (applied.violations.length === 0) lines.push(`${INDENT}invariants: every one held`);
  for (const violation of applied.violations) lines.push(`${INDENT}VIOLATED ${violation.invariant}: ${violation.message}`);
  const recorded = applied.recorded.violations.map((violation) => violation.invariant);
  const now = new Set(applied.violations.map((violation) => violation.invariant));
  const vanished = [...new Set(recorded)].filter((name) => !now.has(name));
  if (vanished.length > 0) lines.push(`${INDENT}recorded as violating ${vanished.join(', ')}, which now hold${vanished.length === 1 ? 's' : ''}`);
  return lines.join('\n');
}

export interface StepExtras {
  readonly trees: boolean;
  readonly refs: ObjectRef | null;
}

/** The current step, then the trees and the holders asked for. */
export function renderWithExtras(history: History, extras: StepExtras): string {
  const parts = [renderCurrentStep(history)];
  if (extras.trees) parts.push(indent(drawMountTrees(history.state)));
  if (extras.refs !== null) parts.push(indent(holdersReport(history.state, extras.refs, history.computed.slice(0, history.cursor))));
  return parts.join('\n');
}

/** A step is good when its result matches the recording and every invariant held after it. */
export const stepHeld = (applied: AppliedStep): boolean => applied.match.kind !== 'differs' && applied.violations.length === 0;

export function summary(steps: readonly AppliedStep[]): string {
  const mismatches = steps.filter((applied) => applied.match.kind === 'differs').length;
  const otherChecks = steps.filter((applied) => applied.match.kind === 'same-errno-other-check').length;
  const violated = steps.some((applied) => applied.violations.length > 0);
  const results = mismatches === 0 ? 'every result matches the recording' : `${mismatches} result(s) differ from the recording`;
  const checks = otherChecks === 0 ? '' : ` (${otherChecks} with the same errno from another check)`;
  return `${results}${checks}; ${violated ? 'an invariant was violated' : 'every invariant held'}`;
}
