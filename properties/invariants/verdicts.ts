// The last verdict of each state invariant, with the parts of the state it was given: a state is
// never changed in place, so when the parts an invariant reads are the very objects of the last
// state it checked (a failed call, or one that touched only other tables), its verdict is that
// state's. One verdict is kept per invariant, the one of the state checked last.
import type { State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';

interface Verdict {
  readonly parts: readonly unknown[];
  readonly violations: readonly Violation[];
}

const lastVerdicts = new WeakMap<Invariant, Verdict>();

/** The invariant's verdict on the state, reused when the parts it reads are those of the last state it checked. */
export function verdictOf(invariant: Invariant, state: State): readonly Violation[] {
  if (invariant.check === undefined) return [];
  if (invariant.reads === undefined) return invariant.check(state);
  const parts = invariant.reads.map((part) => state[part]);
  const last = lastVerdicts.get(invariant);
  if (last !== undefined && last.parts.every((part, index) => part === parts[index])) return last.violations;
  const violations = invariant.check(state);
  lastVerdicts.set(invariant, { parts, violations });
  return violations;
}
