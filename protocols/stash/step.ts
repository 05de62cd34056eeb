// The reducer of the nsfs stash protocol: step(state, event, opts) -> { state, result, patches,
// inversePatches }, one produceWithPatches() call at the top. Each handler is one atomic step of
// fs/libfs.c (path_from_stashed, stashed_dentry_get, prepare_anon_dentry, stash_dentry,
// stashed_dentry_prune), fs/dcache.c (dput, __dentry_kill, dentry_free) or fs/nsfs.c
// (nsfs_evict), and moves the task's program counter on. Left out: the d_lock spinning of the
// lockref slow path (each lockref operation is one atomic step), inode memory reuse, and the
// error paths of allocation (they return before anything is shared).
import type { Draft } from 'immer';
import { enablePatches, produceWithPatches } from 'immer';
import type { ProtocolOptions, ProtocolStepOutcome, StepResult } from '../engine.js';
import { blocked, finished, value } from '../engine.js';
import type { StashEvent } from './events.js';
import type { StashBugId } from './options.js';
import type { DentryId, NsCommon, StashPc, StashState, StashTask } from './state.js';
import { dentryId, inodeId, taskId } from './state.js';

enablePatches();

type DraftState = Draft<StashState>;
type DraftTask = Draft<StashTask>;
type Opts = ProtocolOptions<StashBugId>;

function unreachable(what: string): never {
  throw new Error(`stash protocol: ${what}`);
}

function taskOf(draft: DraftState, task: number): DraftTask {
  return draft.tasks[taskId(task)] ?? unreachable(`no task ${task}`);
}

function dentryOf(draft: DraftState, id: DentryId) {
  return draft.dentries[id] ?? unreachable(`no dentry ${id}`);
}

/** After a dput() and its __dentry_kill(): drop the next dentry held, or end. */
function afterPut(task: DraftTask): StashPc {
  return task.mine !== null || task.got !== null ? 'dput' : 'done';
}

const describeDentry = (draft: DraftState, id: DentryId | null): string => {
  if (id === null) return 'NULL';
  const dentry = draft.dentries[id];
  if (dentry === undefined) return `dentry ${id}`;
  if (dentry.memory === 'freed') return `dentry ${id} (freed memory)`;
  return `dentry ${id}${dentry.d_lockref.dead ? ' (dead)' : ''}`;
};

/** rcu_read_lock() at the top of stashed_dentry_get() and of stash_dentry() (guard(rcu)). */
function rcuReadLock(draft: DraftState, event: Extract<StashEvent, { type: 'rcu_read_lock' }>): StepResult {
  const task = taskOf(draft, event.task);
  task.rcuSince = draft.clock;
  task.pc = event.in === 'stashed_dentry_get' ? 'stashed_dentry_get:read' : 'stash_dentry:cmpxchg';
  return value('');
}

// fs/libfs.c: stashed_dentry_get(): dentry = rcu_dereference(*stashed)
function readStashed(draft: DraftState, event: Extract<StashEvent, { type: 'read_stashed' }>): StepResult {
  const task = taskOf(draft, event.task);
  const stashed = draft.namespaces[event.ns]?.stashed ?? null;
  task.seen = stashed;
  task.pc = stashed === null ? 'stashed_dentry_get:rcu_read_unlock' : 'stashed_dentry_get:lockref_get_not_dead';
  return value(describeDentry(draft, stashed));
}

// lib/lockref.c: lockref_get_not_dead() — a reference unless the count is marked dead
function lockrefGetNotDead(draft: DraftState, event: Extract<StashEvent, { type: 'lockref_get_not_dead' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  const dentry = dentryOf(draft, event.dentry);
  const plain = opts.bug === 'lockref-plain-increment';
  const taken = plain || !dentry.d_lockref.dead;
  if (taken) dentry.d_lockref.count++;
  task.gotRef = taken;
  if (event.in === 'stashed_dentry_get') {
    task.pc = 'stashed_dentry_get:rcu_read_unlock';
  } else if (taken) {
    task.res = event.dentry;
    task.pc = 'stash_dentry:rcu_read_unlock';
  } else {
    task.pc = 'stash_dentry:try_cmpxchg';
  }
  if (plain) return value(`d_lockref.count++ -> ${dentry.d_lockref.count}${dentry.d_lockref.dead ? ' on a dead dentry' : ''}`);
  return value(taken ? `true (count ${dentry.d_lockref.count})` : 'false (dead)');
}

/** rcu_read_unlock(): the read section ends and the function returns. */
function rcuReadUnlock(draft: DraftState, event: Extract<StashEvent, { type: 'rcu_read_unlock' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  task.rcuSince = null;
  if (event.in === 'stashed_dentry_get') {
    // fs/libfs.c: path_from_stashed(): a dentry to reuse, or allocate one
    const hit = task.seen !== null && (task.gotRef || opts.bug === 'get-ignores-lockref-result');
    const returned = hit ? task.seen : null;
    task.got = returned;
    task.seen = null;
    task.gotRef = false;
    task.pc = hit ? 'path_from_stashed:put_data' : 'prepare_anon_dentry';
    return value(`returns ${describeDentry(draft, returned)}`);
  }
  // fs/libfs.c: path_from_stashed(): if (res != dentry) dput(dentry)
  const res = task.res ?? unreachable(`task ${task.id} left stash_dentry() without a result`);
  task.res = null;
  task.seen = null;
  task.gotRef = false;
  task.got = res;
  if (res === task.mine) {
    task.mine = null;
    task.pc = 'dput';
    return value(`returns ${describeDentry(draft, res)}, its own`);
  }
  task.pc = opts.bug === 'lost-race-puts-data' ? 'path_from_stashed:put_data' : 'dput';
  return value(`returns ${describeDentry(draft, res)}, another task's: dput its own dentry ${task.mine ?? '?'}`);
}

// fs/libfs.c: path_from_stashed(): sops->put_data(data) when an existing dentry is reused
function putData(draft: DraftState, event: Extract<StashEvent, { type: 'put_data' }>): StepResult {
  const task = taskOf(draft, event.task);
  const ns = draft.namespaces[event.ns] ?? unreachable(`no namespace ${event.ns}`);
  ns.count--;
  if (task.holdsNsRef) {
    task.holdsNsRef = false;
  } else if (task.dataOwner !== null) {
    // the reference now belongs to the inode prepare_anon_dentry() made
    const inode = draft.inodes[task.dataOwner] ?? unreachable(`no inode ${task.dataOwner}`);
    inode.nsPuts++;
  }
  task.pc = 'dput';
  if (task.mine === null && task.got === null) task.pc = 'done';
  return value(`ns ${event.ns} count ${ns.count}`);
}

// fs/libfs.c: prepare_anon_dentry(): d_alloc_anon(), new_inode_pseudo(), d_instantiate()
function prepareAnonDentry(draft: DraftState, event: Extract<StashEvent, { type: 'prepare_anon_dentry' }>): StepResult {
  const task = taskOf(draft, event.task);
  const reuse = Object.values(draft.dentries).find((dentry) => dentry.memory === 'freed');
  const id = reuse?.id ?? dentryId(draft.nextDentry++);
  const inode = inodeId(draft.nextInode++);
  draft.dentries[id] = {
    id,
    d_lockref: { count: 1, dead: false },
    d_inode: inode,
    ns: event.ns,
    memory: 'allocated',
    publishedAt: null,
    unpublishedAt: null,
  };
  draft.inodes[inode] = { id: inode, i_private: event.ns, evicted: false, nsPuts: 0 };
  // "@data is now owned by the fs": the inode holds the namespace reference
  task.holdsNsRef = false;
  task.dataOwner = inode;
  task.mine = id;
  task.pc = 'stash_dentry:rcu_read_lock';
  return value(`dentry ${id}, inode ${inode} owning a reference to ns ${event.ns}${reuse === undefined ? '' : ' (reuses freed memory)'}`);
}

function publish(draft: DraftState, ns: Draft<NsCommon>, id: DentryId): void {
  const old = ns.stashed;
  if (old !== null && old !== id) {
    const previous = draft.dentries[old];
    if (previous !== undefined && previous.unpublishedAt === null) previous.unpublishedAt = draft.clock;
  }
  ns.stashed = id;
  const dentry = dentryOf(draft, id);
  dentry.publishedAt = draft.clock;
  dentry.unpublishedAt = null;
}

// fs/libfs.c: stash_dentry(): old = cmpxchg(stashed, NULL, dentry)
function cmpxchg(draft: DraftState, event: Extract<StashEvent, { type: 'cmpxchg' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  const ns = draft.namespaces[event.ns] ?? unreachable(`no namespace ${event.ns}`);
  const old = ns.stashed;
  if (opts.bug === 'stash-plain-store') {
    publish(draft, ns, event.dentry);
    task.res = event.dentry;
    task.pc = 'stash_dentry:rcu_read_unlock';
    return value(`dentry ${event.dentry} stored over ${describeDentry(draft, old)}`);
  }
  if (old === null) {
    publish(draft, ns, event.dentry);
    task.res = event.dentry;
    task.pc = 'stash_dentry:rcu_read_unlock';
    return value(`NULL: dentry ${event.dentry} stashed`);
  }
  task.seen = old;
  task.pc = 'stash_dentry:lockref_get_not_dead';
  return value(describeDentry(draft, old));
}

// fs/libfs.c: stash_dentry(): try_cmpxchg(stashed, &old, dentry) over a dead dentry
function tryCmpxchg(draft: DraftState, event: Extract<StashEvent, { type: 'try_cmpxchg' }>): StepResult {
  const task = taskOf(draft, event.task);
  const ns = draft.namespaces[event.ns] ?? unreachable(`no namespace ${event.ns}`);
  if (ns.stashed === event.old) {
    publish(draft, ns, event.dentry);
    task.res = event.dentry;
    task.seen = null;
    task.pc = 'stash_dentry:rcu_read_unlock';
    return value(`true: dentry ${event.dentry} replaces dead dentry ${event.old}`);
  }
  task.seen = null;
  task.pc = 'stash_dentry:cmpxchg';
  return value(`false (now ${describeDentry(draft, ns.stashed)}): retry`);
}

// fs/dcache.c: dput(); at zero __dentry_kill(): lockref_mark_dead(), then ->d_prune =
// fs/libfs.c: stashed_dentry_prune(): cmpxchg(stashed, dentry, NULL), all under d_lock
function dput(draft: DraftState, event: Extract<StashEvent, { type: 'dput' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  if (task.mine === event.dentry) task.mine = null;
  else if (task.got === event.dentry) task.got = null;
  const dentry = dentryOf(draft, event.dentry);
  dentry.d_lockref.count--;
  if (dentry.d_lockref.count !== 0) {
    task.pc = afterPut(task);
    return value(`count ${dentry.d_lockref.count}`);
  }
  dentry.d_lockref.dead = true;
  task.killing = event.dentry;
  task.pc = '__dentry_kill:evict';
  const ns = draft.namespaces[dentry.ns] ?? unreachable(`no namespace ${dentry.ns}`);
  if (opts.bug === 'd-prune-keeps-stash') return value('lockref reaches 0 -> __dentry_kill: d_prune leaves ns->stashed alone');
  if (ns.stashed !== event.dentry) return value('lockref reaches 0 -> __dentry_kill: d_prune: ns->stashed is not this dentry');
  ns.stashed = null;
  dentry.unpublishedAt = draft.clock;
  return value('lockref reaches 0 -> __dentry_kill: d_prune clears ns->stashed');
}

// fs/nsfs.c: nsfs_evict(): clear_inode(), ns->ops->put(ns)
function evict(draft: DraftState, event: Extract<StashEvent, { type: 'evict' }>): StepResult {
  const task = taskOf(draft, event.task);
  const inode = draft.inodes[event.inode] ?? unreachable(`no inode ${event.inode}`);
  const ns = draft.namespaces[inode.i_private] ?? unreachable(`no namespace ${inode.i_private}`);
  inode.evicted = true;
  inode.nsPuts++;
  ns.count--;
  task.pc = '__dentry_kill:dentry_free';
  return value(`put ns ${ns.id}: count ${ns.count}`);
}

// fs/dcache.c: dentry_free(): call_rcu(&dentry->d_u.d_rcu, __d_free)
function dentryFree(draft: DraftState, event: Extract<StashEvent, { type: 'dentry_free' }>, opts: Opts): StepResult {
  const task = taskOf(draft, event.task);
  task.killing = null;
  task.pc = afterPut(task);
  if (opts.bug === 'dentry-free-skips-rcu') {
    dentryOf(draft, event.dentry).memory = 'freed';
    return value('__d_free() at once: memory freed');
  }
  draft.rcuCallbacks.push({ dentry: event.dentry, queuedAt: draft.clock, phase: 'waiting' });
  return value('call_rcu(__d_free) queued');
}

/** The grace period ends for every callback queued before all read sections still open began. */
function rcuGracePeriod(draft: DraftState): StepResult {
  const readers = Object.values(draft.tasks).filter((task) => task.rcuSince !== null);
  const oldest = Math.min(...readers.map((task) => task.rcuSince ?? Infinity));
  const due = draft.rcuCallbacks.filter((callback) => callback.phase === 'waiting' && callback.queuedAt < oldest);
  if (due.length === 0) {
    const waiting = readers.filter((task) => (task.rcuSince ?? Infinity) <= Math.max(...draft.rcuCallbacks.map((c) => c.queuedAt)));
    return blocked(`grace period cannot end: ${waiting.map((task) => `task ${task.id}`).join(', ')} still inside a read section`);
  }
  for (const callback of due) callback.phase = 'ready';
  return value(`ends: __d_free of ${due.map((callback) => `dentry ${callback.dentry}`).join(', ')} may run`);
}

// kernel/rcu/tree.c: rcu_do_batch() -> fs/dcache.c: __d_free()
function rcuDoBatch(draft: DraftState, event: Extract<StashEvent, { type: 'rcu_do_batch' }>): StepResult {
  const index = draft.rcuCallbacks.findIndex((callback) => callback.phase === 'ready' && callback.dentry === event.dentry);
  if (index < 0) return blocked(`no callback for dentry ${event.dentry} is ready`);
  draft.rcuCallbacks.splice(index, 1);
  dentryOf(draft, event.dentry).memory = 'freed';
  return value('memory freed');
}

function apply(draft: DraftState, event: StashEvent, opts: Opts): StepResult {
  switch (event.type) {
    case 'rcu_read_lock':
      return rcuReadLock(draft, event);
    case 'read_stashed':
      return readStashed(draft, event);
    case 'lockref_get_not_dead':
      return lockrefGetNotDead(draft, event, opts);
    case 'rcu_read_unlock':
      return rcuReadUnlock(draft, event, opts);
    case 'put_data':
      return putData(draft, event);
    case 'prepare_anon_dentry':
      return prepareAnonDentry(draft, event);
    case 'cmpxchg':
      return cmpxchg(draft, event, opts);
    case 'try_cmpxchg':
      return tryCmpxchg(draft, event);
    case 'dput':
      return dput(draft, event, opts);
    case 'evict':
      return evict(draft, event);
    case 'dentry_free':
      return dentryFree(draft, event, opts);
    case 'rcu_grace_period':
      return rcuGracePeriod(draft);
    case 'rcu_do_batch':
      return rcuDoBatch(draft, event);
    case 'idle':
      return finished();
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): never {
  return unreachable(`unknown event ${JSON.stringify(event)}`);
}

/** The pure reducer. A step that does nothing (finished, blocked) leaves the state as it was. */
export function stepStash(state: StashState, event: StashEvent, opts: Opts = {}): ProtocolStepOutcome<StashState> {
  let result: StepResult | undefined;
  const [next, patches, inversePatches] = produceWithPatches(state, (draft) => {
    draft.clock++;
    result = apply(draft, event, opts);
  });
  if (result === undefined) return unreachable(`${event.type} produced no result`);
  if (!result.ok) return { state, result, patches: [], inversePatches: [] };
  return { state: next, result, patches, inversePatches };
}
