// The nsfs stash protocol (fs/nsfs.c ns_get_path(), fs/libfs.c path_from_stashed(), fs/dcache.c
// dput()), step by step, as a Protocol the check loop runs.
import type { Protocol } from '../engine.js';
import type { StashEvent } from './events.js';
import { STASH_INVARIANTS } from './invariants/index.js';
import type { StashBugId } from './options.js';
import { STASH_BUG_IDS } from './options.js';
import { formatStashStep } from './print.js';
import { nextStashEvent } from './program.js';
import type { StashState } from './state.js';
import { initialStashState, RCU_TASK, TASK_NAMESPACES } from './state.js';
import { stepStash } from './step.js';
import { STASH_SYNTAX } from './syntax.js';

export type { StashEvent } from './events.js';
export type { StashBugId } from './options.js';
export { STASH_BUG_IDS } from './options.js';
export type { StashState } from './state.js';
export { initialStashState } from './state.js';
export { stepStash } from './step.js';
export { nextStashEvent } from './program.js';
export { STASH_INVARIANTS } from './invariants/index.js';
export { formatStashStep } from './print.js';
export { STASH_SYNTAX } from './syntax.js';

export const STASH_PROTOCOL: Protocol<StashState, StashEvent, StashBugId> = {
  name: 'nsfs-stash',
  summary: 'ns_get_path() -> path_from_stashed() racing dput() of the stashed nsfs dentry, with RCU grace periods',
  actors: [RCU_TASK, ...TASK_NAMESPACES.map(([task]) => task)],
  bugs: STASH_BUG_IDS,
  initialState: initialStashState,
  nextEvent: nextStashEvent,
  step: stepStash,
  invariants: STASH_INVARIANTS,
  syntax: STASH_SYNTAX,
  formatStep: formatStashStep,
};
