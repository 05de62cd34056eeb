// The reducer of the mntput protocol: step(state, event, opts) -> { state, result, patches,
// inversePatches }, one produceWithPatches() call at the top. The steps mirror fs/namespace.c:
// mntput_no_expire() (fast path when mnt_ns is seen set under RCU, slow path under
// lock_mount_hash() otherwise), __legitimize_mnt() of an RCU path walk, umount_tree() clearing
// mnt_ns and namespace_unlock()'s synchronize_rcu() before the tree's reference is put. Left out:
// the per-cpu split of the count (its sum is kept, as mnt_get_count() reads it under the lock),
// legitimize_mnt()'s mount_lock retry (the walker keeps its reference and drops it with mntput(),
// the harder case), the task_work deferral of cleanup_mnt() and the RCU-delayed free of the memory.
import type { Draft } from 'immer';
import { enablePatches, produceWithPatches } from 'immer';
import type { ProtocolOptions, ProtocolStepOutcome, StepResult } from '../engine.js';
import { blocked, finished, value } from '../engine.js';
import type { MntputEvent } from './events.js';
import type { MntputBugId } from './options.js';
import { mntputStart, nextUmountPc } from './program.js';
import type { MntputPc, MntputState, MntputTask } from './state.js';
import { taskId } from './state.js';

enablePatches();

type DraftState = Draft<MntputState>;
type Opts = ProtocolOptions<MntputBugId>;

function taskOf(draft: DraftState, task: number): Draft<MntputTask> {
  const found = draft.tasks[taskId(task)];
  if (found === undefined) throw new Error(`mntput protocol: no task ${task}`);
  return found;
}

/** mntput_no_expire() goes fast or slow on what READ_ONCE(mnt->mnt_ns) returned. */
const pathPc = (path: 'fast' | 'slow'): MntputPc => (path === 'fast' ? 'mntput:fast' : 'mntput:slow');

function rcuReadLock(draft: DraftState, event: Extract<MntputEvent, { type: 'rcu_read_lock' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  task.rcuSince = draft.clock;
  if (event.in === 'rcu_walk') task.pc = 'rcu_walk:lookup_mnt';
  else task.pc = opts.bug === 'mntput-reads-mnt-ns-outside-rcu' ? pathPc(task.path ?? 'slow') : 'mntput:read_mnt_ns';
  return value('');
}

// fs/namespace.c: __lookup_mnt() — only a mount still hashed (in its namespace) is found
function lookupMnt(draft: DraftState, event: Extract<MntputEvent, { type: 'lookup_mnt' }>): StepResult {
  const task = taskOf(draft, event.task);
  task.found = draft.mount.mnt_ns !== null;
  task.pc = task.found ? 'rcu_walk:legitimize_mnt' : 'rcu_walk:rcu_read_unlock';
  return value(task.found ? 'mount 1' : 'NULL (unhashed)');
}

// fs/namespace.c: __legitimize_mnt(): mnt_add_count(mnt, 1)
function legitimizeMnt(draft: DraftState, event: Extract<MntputEvent, { type: 'legitimize_mnt' }>): StepResult {
  const task = taskOf(draft, event.task);
  draft.mount.mnt_count++;
  task.holds = true;
  task.pc = 'rcu_walk:rcu_read_unlock';
  return value(`count ${draft.mount.mnt_count}${draft.mount.freed ? ' on a freed mount' : ''}`);
}

function rcuReadUnlock(draft: DraftState, event: Extract<MntputEvent, { type: 'rcu_read_unlock' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  task.rcuSince = null;
  if (event.in === 'rcu_walk') {
    task.found = false;
    task.pc = task.holds ? mntputStart(opts) : 'done';
    return value(task.holds ? 'holds mount 1: mntput() it' : 'not found');
  }
  task.pc = task.frees ? 'cleanup_mnt' : 'done';
  return value('');
}

// fs/namespace.c: mntput_no_expire(): if (likely(READ_ONCE(mnt->mnt_ns)))
function readMntNs(draft: DraftState, event: Extract<MntputEvent, { type: 'read_mnt_ns' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  task.path = draft.mount.mnt_ns === null ? 'slow' : 'fast';
  task.pc = opts.bug === 'mntput-reads-mnt-ns-outside-rcu' ? 'mntput:rcu_read_lock' : pathPc(task.path);
  return value(draft.mount.mnt_ns === null ? 'NULL: slow path' : `ns ${draft.mount.mnt_ns}: fast path`);
}

/** The reference this task holds is gone; at zero, record who dropped the last one and how. */
function dropReference(draft: DraftState, task: Draft<MntputTask>, path: 'fast' | 'slow'): void {
  draft.mount.mnt_count--;
  task.holds = false;
  if (draft.mount.mnt_count === 0) draft.mount.finalPut = { task: task.id, path };
}

// fs/namespace.c: mntput_no_expire() fast path: mnt_add_count(mnt, -1); rcu_read_unlock()
function mntAddCountFast(draft: DraftState, event: Extract<MntputEvent, { type: 'mnt_add_count_fast' }>): StepResult {
  const task = taskOf(draft, event.task);
  dropReference(draft, task, 'fast');
  task.pc = 'mntput:rcu_read_unlock';
  return value(`count ${draft.mount.mnt_count}${draft.mount.mnt_count === 0 ? ': the last reference, and nobody will free the mount' : ''}`);
}

// fs/namespace.c: mntput_no_expire() slow path, under lock_mount_hash()
function mntputSlow(draft: DraftState, event: Extract<MntputEvent, { type: 'mntput_slow' }>): StepResult {
  const task = taskOf(draft, event.task);
  dropReference(draft, task, 'slow');
  task.pc = 'mntput:rcu_read_unlock';
  if (draft.mount.mnt_count !== 0 || draft.mount.doomed) return value(`lock_mount_hash(); count ${draft.mount.mnt_count}`);
  draft.mount.doomed = true;
  task.frees = true;
  return value('lock_mount_hash(); count 0 -> MNT_DOOMED');
}

// fs/namespace.c: cleanup_mnt()
function cleanupMnt(draft: DraftState, event: Extract<MntputEvent, { type: 'cleanup_mnt' }>): StepResult {
  const task = taskOf(draft, event.task);
  draft.mount.freed = true;
  task.frees = false;
  task.pc = 'done';
  return value('mount 1 freed');
}

// fs/namespace.c: umount_tree(): unhash, p->mnt_ns = NULL, under lock_mount_hash()
function umountTree(draft: DraftState, event: Extract<MntputEvent, { type: 'umount_tree' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  draft.mount.mnt_ns = null;
  task.pc = nextUmountPc('umount_tree', opts);
  return value('mnt->mnt_ns = NULL');
}

// fs/namespace.c: namespace_unlock(): synchronize_rcu_expedited() begins
function synchronizeRcuStart(draft: DraftState, event: Extract<MntputEvent, { type: 'synchronize_rcu_start' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  task.gpStart = draft.clock;
  task.pc = nextUmountPc('synchronize_rcu:start', opts);
  return value('grace period begins');
}

/** synchronize_rcu() returns once no read section begun before the grace period is still open. */
function synchronizeRcuWait(draft: DraftState, event: Extract<MntputEvent, { type: 'synchronize_rcu_wait' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  const start = task.gpStart ?? draft.clock;
  const readers = Object.values(draft.tasks).filter((other) => other.rcuSince !== null && other.rcuSince < start);
  if (readers.length > 0) return blocked(`waits for ${readers.map((other) => `task ${other.id}`).join(', ')} to leave its read section`);
  task.gpStart = null;
  task.pc = nextUmountPc('synchronize_rcu:wait', opts);
  return value('grace period over: put the tree\'s reference');
}

function apply(draft: DraftState, event: MntputEvent, opts: Opts): StepResult {
  switch (event.type) {
    case 'rcu_read_lock':
      return rcuReadLock(draft, event, opts);
    case 'lookup_mnt':
      return lookupMnt(draft, event);
    case 'legitimize_mnt':
      return legitimizeMnt(draft, event);
    case 'rcu_read_unlock':
      return rcuReadUnlock(draft, event, opts);
    case 'read_mnt_ns':
      return readMntNs(draft, event, opts);
    case 'mnt_add_count_fast':
      return mntAddCountFast(draft, event);
    case 'mntput_slow':
      return mntputSlow(draft, event);
    case 'cleanup_mnt':
      return cleanupMnt(draft, event);
    case 'umount_tree':
      return umountTree(draft, event, opts);
    case 'synchronize_rcu_start':
      return synchronizeRcuStart(draft, event, opts);
    case 'synchronize_rcu_wait':
      return synchronizeRcuWait(draft, event, opts);
    case 'idle':
      return finished();
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): never {
  throw new Error(`mntput protocol: unknown event ${JSON.stringify(event)}`);
}

/** The pure reducer. A step that does nothing (finished, blocked) leaves the state as it was. */
export function stepMntput(state: MntputState, event: MntputEvent, opts: Opts = {}): ProtocolStepOutcome<MntputState> {
  let result: StepResult | undefined;
  const [next, patches, inversePatches] = produceWithPatches(state, (draft) => {
    draft.clock++;
    result = apply(draft, event, opts);
  });
  if (result === undefined) throw new Error(`mntput protocol: ${event.type} produced no result`);
  if (!result.ok) return { state, result, patches: [], inversePatches: [] };
  return { state: next, result, patches, inversePatches };
}
