// The nsfs stash protocol step by step (fs/libfs.c path_from_stashed(), fs/dcache.c dput()):
// each test drives named tasks through a fixed interleaving and reads the state it leaves.
import { describe, expect, it } from 'vitest';
import { runSchedule } from '../run.js';
import type { StashBugId } from './index.js';
import { formatStashStep, STASH_INVARIANTS, STASH_PROTOCOL } from './index.js';
import { initialStashState } from './state.js';

/** Run tasks by id (0 is RCU); the stash protocol's actors are [0, 1, 2, 3]. */
const run = (tasks: readonly number[], bug?: StashBugId) => runSchedule(STASH_PROTOCOL, tasks, bug === undefined ? {} : { bug });
const repeat = (task: number, times: number) => Array.from({ length: times }, () => task);
/** A whole get on an empty stash: lock, read, unlock, allocate, lock, cmpxchg, unlock. */
const GET = 7;

describe('nsfs stash protocol', () => {
  it('a get on an empty stash allocates a dentry whose inode owns a namespace reference, and stashes it', () => {
    const { state, failure, steps } = run(repeat(1, GET));
    expect(failure).toBeNull();
    expect(state.namespaces[1 as never]?.stashed).toBe(1);
    expect(state.tasks[1 as never]?.got).toBe(1);
    expect(state.dentries[1 as never]?.d_lockref).toEqual({ count: 1, dead: false });
    // the task's reference moved to the inode: base + task 2's + inode 1's
    expect(state.namespaces[1 as never]?.count).toBe(3);
    expect(steps.map((step) => step.event.type)).toEqual([
      'rcu_read_lock',
      'read_stashed',
      'rcu_read_unlock',
      'prepare_anon_dentry',
      'rcu_read_lock',
      'cmpxchg',
      'rcu_read_unlock',
    ]);
  });

  it('a second get reuses the stashed dentry with lockref_get_not_dead() and puts its own namespace reference', () => {
    const { state, failure } = run([...repeat(1, GET), ...repeat(2, 5)]);
    expect(failure).toBeNull();
    expect(state.tasks[2 as never]?.got).toBe(1);
    expect(state.dentries[1 as never]?.d_lockref.count).toBe(2);
    expect(state.namespaces[1 as never]?.count).toBe(2);
  });

  it('the loser of the cmpxchg race takes the winner\'s dentry and dputs its own, whose eviction drops the reference', () => {
    // both miss, both allocate; task 1 stashes first; task 2's cmpxchg finds dentry 1 alive
    const { state, failure } = run([1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
    expect(failure).toBeNull();
    expect(state.tasks[2 as never]?.got).toBe(1);
    expect(state.dentries[2 as never]?.d_lockref).toEqual({ count: 0, dead: true });
    expect(state.inodes[2 as never]).toMatchObject({ evicted: true, nsPuts: 1 });
    expect(state.rcuCallbacks).toEqual([{ dentry: 2, queuedAt: expect.any(Number), phase: 'waiting' }]);
  });

  it('the final dput kills the dentry, d_prune clears ns->stashed, eviction puts the namespace, and __d_free waits for RCU', () => {
    const { state, steps } = run([...repeat(1, GET), 1, 1, 1]);
    expect(state.namespaces[1 as never]).toMatchObject({ stashed: null, count: 2 });
    expect(state.dentries[1 as never]).toMatchObject({ memory: 'allocated', d_lockref: { count: 0, dead: true } });
    expect(steps.slice(-3).map((step) => formatStashStep(step.event, step.result))).toEqual([
      '[task 1] dput(dentry 1)  -> lockref reaches 0 -> __dentry_kill: d_prune clears ns->stashed',
      '[task 1] __dentry_kill(dentry 1): iput -> nsfs_evict(inode 1)  -> put ns 1: count 2',
      '[task 1] __dentry_kill(dentry 1): dentry_free()  -> call_rcu(__d_free) queued',
    ]);
    const freed = run([...repeat(1, GET + 3), 0, 0]).state;
    expect(freed.dentries[1 as never]?.memory).toBe('freed');
  });

  it('a grace period cannot end while a reader that began before the callback was queued is in its read section', () => {
    // task 2 enters stashed_dentry_get() and reads dentry 1; task 1 drops and kills it
    const schedule = [...repeat(1, GET), 2, 2, 1, 1, 1, 0];
    const { steps, state } = run(schedule);
    const last = steps.at(-1);
    expect(last?.result).toEqual({ ok: false, failure: 'blocked', detail: 'grace period cannot end: task 2 still inside a read section' });
    expect(state.rcuCallbacks[0]?.phase).toBe('waiting');
    // once task 2 has tried its lockref (dead) and left, the grace period ends and the memory is freed
    const after = run([...schedule, 2, 2, 0, 0]);
    expect(after.failure).toBeNull();
    expect(after.steps.at(-1)?.result).toEqual({ ok: true, value: 'memory freed' });
    expect(after.state.dentries[1 as never]?.memory).toBe('freed');
  });

  it('prepare_anon_dentry() reuses the memory of a freed dentry', () => {
    const { state, steps } = run([...repeat(1, GET + 3), 0, 0, ...repeat(3, 4)]);
    expect(state.dentries[1 as never]).toMatchObject({ ns: 2, memory: 'allocated', d_lockref: { count: 1, dead: false } });
    expect(formatStashStep(steps.at(-1)?.event ?? { type: 'idle', task: 3 }, steps.at(-1)?.result ?? { ok: true, value: '' })).toBe(
      '[task 3] path_from_stashed(ns 2): prepare_anon_dentry()  -> dentry 1, inode 2 owning a reference to ns 2 (reuses freed memory)',
    );
  });

  it('a finished task\'s step is a harmless no-op', () => {
    const done = run(repeat(1, GET + 3));
    const again = run([...repeat(1, GET + 3), 1, 1]);
    expect(again.state).toEqual(done.state);
    expect(again.steps.at(-1)?.result).toEqual({ ok: false, failure: 'finished', detail: 'task has finished' });
  });

  it('prints each step with its task, kernel function and statement', () => {
    const { steps } = run([1, 1]);
    expect(steps.map((step) => formatStashStep(step.event, step.result))).toEqual([
      '[task 1] stashed_dentry_get(ns 1): rcu_read_lock()',
      '[task 1] stashed_dentry_get(ns 1): dentry = ns->stashed  -> NULL',
    ]);
  });

  it('every invariant holds on the initial state and is named once', () => {
    const state = initialStashState();
    for (const invariant of STASH_INVARIANTS) expect(invariant.check(state)).toEqual([]);
    expect(new Set(STASH_INVARIANTS.map((invariant) => invariant.name)).size).toBe(STASH_INVARIANTS.length);
  });

  it('the step keeps patches that turn the state before into the one after and back', async () => {
    const { applyPatches } = await import('immer');
    const before = run(repeat(1, 3)).state;
    const event = STASH_PROTOCOL.nextEvent(before, 1, {});
    const outcome = STASH_PROTOCOL.step(before, event, {});
    expect(applyPatches(before, [...outcome.patches])).toEqual(outcome.state);
    expect(applyPatches(outcome.state, [...outcome.inversePatches])).toEqual(before);
  });
});
