// Every invariant, checked after every event that changed the state, in the order reports list
// them: state invariants on the state the event left, step invariants on the transition.
import type { Event, State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { locksHold } from './locks-hold.js';
import { mountTreeWellFormed } from './mount-tree-well-formed.js';
import { noLeak } from './no-leak.js';
import { noMntNsLoop } from './no-mnt-ns-loop.js';
import { noUseAfterFree } from './no-use-after-free.js';
import { peerGroupsConsistent } from './peer-groups-consistent.js';
import { privilegesRespected } from './privileges-respected.js';
import { propagationExact } from './propagation-exact.js';
import { refcountsSound } from './refcounts-sound.js';
import { taskPathsValid } from './task-paths-valid.js';
import { verdictOf } from './verdicts.js';

export const INVARIANTS: readonly Invariant[] = [
  noMntNsLoop,
  refcountsSound,
  noUseAfterFree,
  noLeak,
  mountTreeWellFormed,
  taskPathsValid,
  peerGroupsConsistent,
  locksHold,
  propagationExact,
  privilegesRespected,
];

export const INVARIANT_NAMES = INVARIANTS.map((invariant) => invariant.name);

/** The state invariants, on one state (a verdict is reused where the parts it reads did not change: verdicts.ts). */
export function checkInvariants(state: State, invariants: readonly Invariant[] = INVARIANTS): Violation[] {
  const violations: Violation[] = [];
  for (const invariant of invariants) violations.push(...verdictOf(invariant, state));
  return violations;
}

/** The step invariants, on one transition; call it only when the event changed the state. */
export function checkStepInvariants(
  before: State,
  after: State,
  event: Event,
  invariants: readonly Invariant[] = INVARIANTS,
): Violation[] {
  const violations: Violation[] = [];
  for (const invariant of invariants) {
    if (invariant.checkStep !== undefined) violations.push(...invariant.checkStep(before, after, event));
  }
  return violations;
}
