// The reducer: step(state, event) -> { state, result }. One place dispatches every syscall family;
// each family's check runs on the unchanged state, and only a passing check gets an immer draft,
// inside the one produceWithPatches() call. The patches and inverse patches of every step are
// kept so that replay can go back and forth by applying them.
import type { Patch } from 'immer';
import { enableArrayMethods, enablePatches, produce, produceWithPatches, setAutoFreeze } from 'immer';
import type { Event } from './events.js';
import type { ModelOptions } from './options.js';
import { DEFAULT_OPTIONS } from './options.js';
import type { Result } from './result.js';
import type { DraftState, State } from './state.js';
import { assertNever } from './internal/bug.js';
import { checkClone, checkUnshare } from './syscalls/clone.js';
import { checkCapset } from './syscalls/capset.js';
import { checkChdir, checkChroot, checkFchdir } from './syscalls/chroot.js';
import type { Checked } from './syscalls/common.js';
import { checkExit } from './syscalls/exit.js';
import { checkClose, checkDup, checkOpen } from './syscalls/fd.js';
import { checkMount } from './syscalls/mount.js';
import { checkMkdir, checkMknod, checkRmdir, checkUnlink } from './syscalls/namei.js';
import { checkSetns } from './syscalls/setns.js';
import { checkRecvmsg, checkSendmsg, checkSocketpair } from './syscalls/socket.js';
import { checkUmount2 } from './syscalls/umount.js';
import { checkPivotRoot } from './syscalls/pivot-root.js';
import { checkOpenTree } from './syscalls/open-tree.js';
import { checkMoveMount } from './syscalls/move-mount.js';
import { checkFsconfig, checkFsmount, checkFsopen } from './syscalls/fsmount.js';
import { checkMountSetattr } from './syscalls/mount-setattr.js';

enablePatches();
enableArrayMethods();

export interface StepOutcome {
  readonly state: State;
  readonly result: Result;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
}

/** Freezing catches accidental mutation; it is on unless a caller turns it off for speed. */
export function setFreezing(freeze: boolean): void {
  setAutoFreeze(freeze);
}

/** Run the checks of the syscall the event names. */
export function checkEvent(state: State, event: Event, opts: ModelOptions): Checked {
  switch (event.type) {
    case 'clone':
      return checkClone(state, event, opts);
    case 'unshare':
      return checkUnshare(state, event, opts);
    case 'setns':
      return checkSetns(state, event, opts);
    case 'exit':
      return checkExit(state, event, opts);
    case 'capset':
      return checkCapset(state, event);
    case 'mkdir':
      return checkMkdir(state, event, opts);
    case 'rmdir':
      return checkRmdir(state, event, opts);
    case 'mknod':
      return checkMknod(state, event, opts);
    case 'unlink':
      return checkUnlink(state, event, opts);
    case 'open':
      return checkOpen(state, event, opts);
    case 'close':
      return checkClose(state, event, opts);
    case 'dup':
      return checkDup(state, event);
    case 'chdir':
      return checkChdir(state, event, opts);
    case 'fchdir':
      return checkFchdir(state, event, opts);
    case 'chroot':
      return checkChroot(state, event, opts);
    case 'mount':
      return checkMount(state, event, opts);
    case 'umount2':
      return checkUmount2(state, event, opts);
    case 'socketpair':
      return checkSocketpair(state, event);
    case 'sendmsg':
      return checkSendmsg(state, event);
    case 'recvmsg':
      return checkRecvmsg(state, event);
    case 'pivot_root':
      return checkPivotRoot(state, event, opts);
    case 'open_tree':
      return checkOpenTree(state, event, opts);
    case 'move_mount':
      return checkMoveMount(state, event, opts);
    case 'fsopen':
      return checkFsopen(state, event, opts);
    case 'fsconfig':
      return checkFsconfig(state, event, opts);
    case 'fsmount':
      return checkFsmount(state, event, opts);
    case 'mount_setattr':
      return checkMountSetattr(state, event, opts);
    default:
      return assertNever(event);
  }
}

const NO_PATCHES: readonly Patch[] = Object.freeze([]);

/**
 * The pure reducer. `recordPatches: false` skips the patches (they come back empty): the same
 * transition, cheaper, for exploration that never steps back.
 */
export function step(state: State, event: Event, opts: ModelOptions = DEFAULT_OPTIONS, recordPatches = true): StepOutcome {
  const checked = checkEvent(state, event, opts);
  if (typeof checked !== 'function') {
    return { state, result: checked, patches: NO_PATCHES, inversePatches: NO_PATCHES };
  }
  let result: Result | undefined;
  const recipe = (draft: State): void => {
    result = checked(draft as unknown as DraftState);
  };
  if (!recordPatches) {
    const next = produce(state, recipe);
    if (result === undefined) throw new Error(`step: ${event.type} produced no result`);
    return { state: next, result, patches: NO_PATCHES, inversePatches: NO_PATCHES };
  }
  const [next, patches, inversePatches] = produceWithPatches(state, recipe);
  if (result === undefined) throw new Error(`step: ${event.type} produced no result`);
  return { state: next, result, patches, inversePatches };
}
