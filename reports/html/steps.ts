// The per-step data of one counterexample, computed at render time by replaying its events through
// the model (traces/history.ts, which keeps each step's patches): after every step, each mount
// tree, which mounts the step added, changed or freed, the invariants it broke, what it changed in
// words, and who holds each object the counterexample's violations name. Step 0 is the boot state.
import type { MountId, SeededBugId, State } from '../../model/index.js';
import { isSeededBugId } from '../../model/index.js';
import type { ObjectRef, Violation } from '../../properties/index.js';
import { describeChanges, formatCall, formatReturn, History, holdersReport, makeTrace, objectName } from '../../traces/index.js';
import type { ReportCounterexample } from '../record.js';
import type { Marks, MountChange, TreeGroup } from './trees.js';
import { freedGroup, treeGroups } from './trees.js';

export interface StepView {
  /** 0 for the boot state. */
  readonly number: number;
  /** `[pid 1] mount(...)`; empty at step 0. */
  readonly call: string;
  /** What the model returns on replay: `= 0`, `= -1 EINVAL (check)`. */
  readonly result: string;
  /** The recorded result where it differs from the replay's, else null. */
  readonly recorded: string | null;
  readonly violations: readonly { readonly invariant: string; readonly message: string; readonly objects: readonly string[] }[];
  readonly changes: readonly string[];
  readonly mounts: { readonly added: readonly number[]; readonly changed: readonly number[]; readonly removed: readonly number[] };
  readonly holders: readonly string[];
  readonly groups: readonly TreeGroup[];
}

const sameMount = (before: State, after: State, id: MountId): boolean => JSON.stringify(before.mounts[id]) === JSON.stringify(after.mounts[id]);

/** Each mount of either state: added, changed or removed by the step from `before` to `after`. */
export function mountChanges(before: State, after: State): StepView['mounts'] {
  const ids = [...new Set([...Object.keys(before.mounts), ...Object.keys(after.mounts)].map(Number))].sort((a, b) => a - b) as MountId[];
  return {
    added: ids.filter((id) => before.mounts[id] === undefined),
    changed: ids.filter((id) => before.mounts[id] !== undefined && after.mounts[id] !== undefined && !sameMount(before, after, id)),
    removed: ids.filter((id) => after.mounts[id] === undefined),
  };
}

const refName = (object: ObjectRef): string => `${objectName(object)} (${object.kind}:${object.id})`;

function violationViews(violations: readonly Violation[]): StepView['violations'] {
  return violations.map((violation) => ({ invariant: violation.invariant, message: violation.message, objects: violation.objects.map(refName) }));
}

/** The objects the counterexample's violations name, each once, in order of first mention. */
export function namedObjects(violations: readonly Violation[]): ObjectRef[] {
  const seen = new Map<string, ObjectRef>();
  for (const violation of violations) for (const object of violation.objects) seen.set(`${object.kind}:${object.id}`, object);
  return [...seen.values()];
}

/** A protocol counterexample's steps: its trace lines and verdicts, with no mount trees to draw. */
function protocolStepViews(counterexample: ReportCounterexample): StepView[] {
  const empty = { changes: [], mounts: { added: [], changed: [], removed: [] }, holders: [], groups: [] };
  const last = counterexample.protocolSteps?.length ?? 0;
  return [
    { number: 0, call: '', result: '', recorded: null, violations: [], ...empty },
    ...(counterexample.protocolSteps ?? []).map((step, index) => ({
      number: index + 1,
      call: step.line,
      result: '',
      recorded: null,
      violations:
        index + 1 === last
          ? counterexample.violations.map((violation) => ({ invariant: violation.invariant, message: violation.message, objects: violation.objects.map((object) => `${object.kind}:${object.id}`) }))
          : [],
      ...empty,
    })),
  ];
}

/** The syscall model's counterexamples name its seeded bugs and its violations. */
const syscallBug = (bug: string | null): SeededBugId | null => (bug !== null && isSeededBugId(bug) ? bug : null);
const syscallViolations = (violations: ReportCounterexample['violations']): Violation[] =>
  violations.filter((violation): violation is Violation => !('protocol' in violation) && violation.objects.every((object) => typeof object.id === 'number'));

export function stepViews(counterexample: ReportCounterexample): StepView[] {
  if (counterexample.protocol !== undefined) return protocolStepViews(counterexample);
  const bug = syscallBug(counterexample.bug);
  const trace = makeTrace({ bug, steps: counterexample.steps.map((recorded) => ({ ...recorded, violations: [] })) });
  const history = new History(trace, bug === null ? {} : { model: { bug } });
  const named = namedObjects(syscallViolations(counterexample.violations));
  const marks = (change: MountChange | ((id: MountId) => MountChange)): Marks => ({
    change: typeof change === 'function' ? change : () => change,
    violatingMounts: new Set(named.filter((object) => object.kind === 'mount').map((object) => object.id)),
    violatingNamespaces: new Set(named.filter((object) => object.kind === 'mnt_namespace').map((object) => object.id)),
  });
  const holders = (state: State): string[] => named.map((object) => holdersReport(state, object, history.computed.slice(0, history.cursor)));
  const views: StepView[] = [
    {
      number: 0,
      call: '',
      result: '',
      recorded: null,
      violations: [],
      changes: [],
      mounts: { added: [], changed: [], removed: [] },
      holders: holders(history.state),
      groups: treeGroups(history.state, marks('same')),
    },
  ];
  while (history.next()) {
    const applied = history.last;
    if (applied === null) break;
    const before = history.stateBefore();
    const after = history.state;
    const mounts = mountChanges(before, after);
    const change = (id: MountId): MountChange => (mounts.added.includes(id) ? 'added' : mounts.changed.includes(id) ? 'changed' : 'same');
    const freed = freedGroup(before, after, marks('removed'));
    views.push({
      number: applied.number,
      call: `[pid ${applied.event.task}] ${formatCall(applied.event)}`,
      result: formatReturn(applied.result),
      recorded: applied.match.kind === 'differs' ? formatReturn(applied.match.recorded) : null,
      violations: violationViews(applied.violations),
      changes: describeChanges(before, after, applied.patches),
      mounts,
      holders: holders(after),
      groups: [...treeGroups(after, marks(change)), ...(freed === null ? [] : [freed])],
    });
  }
  return views;
}
