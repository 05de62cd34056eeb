// mntput_no_expire()'s fast path against umount (fs/namespace.c), driven through fixed
// interleavings of the unmounting task 1 and the path-walking tasks 2 and 3.
import { describe, expect, it } from 'vitest';
import { runSchedule } from '../run.js';
import type { MntputBugId } from './index.js';
import { formatMntputStep, MNTPUT_INVARIANTS, MNTPUT_PROTOCOL } from './index.js';
import { initialMntputState } from './state.js';

/** Run tasks by id; the protocol's actors are [1, 2, 3]. */
const run = (tasks: readonly number[], bug?: MntputBugId) =>
  runSchedule(
    MNTPUT_PROTOCOL,
    tasks.map((task) => MNTPUT_PROTOCOL.actors.indexOf(task)),
    bug === undefined ? {} : { bug },
  );
const repeat = (task: number, times: number) => Array.from({ length: times }, () => task);
const lines = (tasks: readonly number[], bug?: MntputBugId) => run(tasks, bug).steps.map((step) => formatMntputStep(step.event, step.result));

describe('mntput fast path against umount', () => {
  it('a walker takes a reference while the mount is in its namespace and drops it on the fast path', () => {
    const { state, failure } = run(repeat(2, 8));
    expect(failure).toBeNull();
    expect(lines(repeat(2, 8)).slice(4, 7)).toEqual([
      '[task 2] mntput_no_expire(mount 1): rcu_read_lock()',
      '[task 2] mntput_no_expire(mount 1): READ_ONCE(mnt->mnt_ns)  -> ns 1: fast path',
      '[task 2] mntput_no_expire(mount 1): mnt_add_count(-1)  -> count 1',
    ]);
    expect(state.mount).toMatchObject({ mnt_ns: 1, mnt_count: 1, freed: false });
  });

  it('after umount the tree\'s reference is put on the slow path, which frees the mount at zero', () => {
    const { state, failure } = run(repeat(1, 8));
    expect(failure).toBeNull();
    expect(state.mount).toMatchObject({ mnt_ns: null, mnt_count: 0, doomed: true, freed: true, finalPut: { task: 1, path: 'slow' } });
  });

  it('synchronize_rcu() waits for a walker that found the mount before mnt_ns was cleared', () => {
    const schedule = [2, 2, 1, 1, 1];
    expect(lines(schedule).at(-1)).toBe('[task 1] namespace_unlock(): synchronize_rcu() waits  -> blocked: waits for task 2 to leave its read section');
    // the walker legitimizes, leaves, and drops its reference on the slow path (mnt_ns is NULL now)
    const after = run([...schedule, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
    expect(after.failure).toBeNull();
    expect(after.state.mount).toMatchObject({ mnt_count: 0, freed: true, finalPut: { task: 1, path: 'slow' } });
  });

  it('a walker that starts after umount_tree() does not find the mount', () => {
    const { state, steps } = run([1, 3, 3, 3, 3]);
    expect(steps[2]?.result).toEqual({ ok: true, value: 'NULL (unhashed)' });
    expect(state.tasks[3 as never]).toMatchObject({ pc: 'done', holds: false });
  });

  it('with the grace period skipped, the tree\'s put frees the mount under a walker that found it', () => {
    const { failure } = run([2, 2, 1, 1, 1, 1, 1, 1, 2], 'umount-skips-grace-period');
    expect(failure?.violations.map((violation) => violation.invariant)).toEqual(['no-mount-freed-while-held']);
  });

  it('with the wait before the clear, a fast-path mntput can drop the last reference', () => {
    const { failure } = run([1, 1, ...repeat(2, 6), 1, 1, 1, 1, 2], 'umount-waits-before-clear');
    expect(failure?.violations.map((violation) => violation.invariant)).toEqual(['final-put-takes-slow-path']);
  });

  it('every invariant holds on the initial state and is named once', () => {
    const state = initialMntputState();
    for (const invariant of MNTPUT_INVARIANTS) expect(invariant.check(state)).toEqual([]);
    expect(new Set(MNTPUT_INVARIANTS.map((invariant) => invariant.name)).size).toBe(MNTPUT_INVARIANTS.length);
  });
});
