// mntput_no_expire()'s fast path racing umount (fs/namespace.c), step by step, as a Protocol the
// check loop runs.
import type { Protocol } from '../engine.js';
import type { MntputEvent } from './events.js';
import { MNTPUT_INVARIANTS } from './invariants/index.js';
import type { MntputBugId } from './options.js';
import { MNTPUT_BUG_IDS } from './options.js';
import { formatMntputStep } from './print.js';
import { nextMntputEvent } from './program.js';
import type { MntputState } from './state.js';
import { initialMntputState, UMOUNT_TASK, WALKER_TASKS } from './state.js';
import { stepMntput } from './step.js';
import { MNTPUT_SYNTAX } from './syntax.js';

export type { MntputEvent } from './events.js';
export type { MntputBugId } from './options.js';
export { MNTPUT_BUG_IDS } from './options.js';
export type { MntputState } from './state.js';
export { initialMntputState } from './state.js';
export { stepMntput } from './step.js';
export { nextMntputEvent } from './program.js';
export { MNTPUT_INVARIANTS } from './invariants/index.js';
export { formatMntputStep } from './print.js';
export { MNTPUT_SYNTAX } from './syntax.js';

export const MNTPUT_PROTOCOL: Protocol<MntputState, MntputEvent, MntputBugId> = {
  name: 'mntput-fast-path',
  summary: "mntput_no_expire()'s RCU fast path racing umount_tree() and namespace_unlock()'s synchronize_rcu()",
  actors: [UMOUNT_TASK, ...WALKER_TASKS],
  bugs: MNTPUT_BUG_IDS,
  initialState: initialMntputState,
  nextEvent: nextMntputEvent,
  step: stepMntput,
  invariants: MNTPUT_INVARIANTS,
  syntax: MNTPUT_SYNTAX,
  formatStep: formatMntputStep,
};
