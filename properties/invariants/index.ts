// Every invariant, checked after every event, in the order reports list them.
import type { State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { mountTreeWellFormed } from './mount-tree-well-formed.js';
import { noLeak } from './no-leak.js';
import { noMntNsLoop } from './no-mnt-ns-loop.js';
import { noUseAfterFree } from './no-use-after-free.js';
import { refcountsSound } from './refcounts-sound.js';
import { taskPathsValid } from './task-paths-valid.js';

export const INVARIANTS: readonly Invariant[] = [
  noMntNsLoop,
  refcountsSound,
  noUseAfterFree,
  noLeak,
  mountTreeWellFormed,
  taskPathsValid,
];

export const INVARIANT_NAMES = INVARIANTS.map((invariant) => invariant.name);

export function checkInvariants(state: State, invariants: readonly Invariant[] = INVARIANTS): Violation[] {
  const violations: Violation[] = [];
  for (const invariant of invariants) violations.push(...invariant.check(state));
  return violations;
}
