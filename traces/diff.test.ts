import { describe, expect, it } from 'vitest';
import type { Event } from '../model/index.js';
import { INIT, mkdir, open, tmpfs } from '../model/test-helpers.js';
import { describeChanges } from './diff.js';
import { History } from './history.js';
import { makeTrace } from './trace.js';

/** The sentences for each step of the events, replayed through a History. */
function changesOf(events: readonly Event[]): string[][] {
  const history = new History(makeTrace({ steps: events.map((event) => ({ event, result: null, violations: [] })) }), { invariants: [] });
  const out: string[][] = [];
  while (history.next()) {
    const last = history.last;
    if (last === null) break;
    out.push(describeChanges(history.stateBefore(), history.state, last.patches));
  }
  return out;
}

describe('what a step changed', () => {
  it('a tmpfs mount adds the mount on its path, its superblock and a mountpoint', () => {
    const [, mounted] = changesOf([mkdir('/mnt/a'), tmpfs('/mnt/a')]);
    expect(mounted).toEqual([
      'mount namespace 1: nr_mounts 3 -> 4',
      'mount 5 added on /mnt/a in namespace 1 (tmpfs)',
      'superblock 5 added (tmpfs, 0:5)',
      'mountpoint on dentry 8: m_count 0 -> 1',
    ]);
  });

  it('open and close change the mount count, the fd table and the file', () => {
    const [opened, closed] = changesOf([open('/mnt', ['O_PATH']), { type: 'close', task: INIT, fd: 3 as never }]);
    expect(opened).toEqual(['mount 2: mnt_count 3 -> 4', 'file 1 added (on mount 2, O_PATH)', 'fd 3 of files_struct 1 opened: file 1']);
    expect(closed).toEqual(['mount 2: mnt_count 4 -> 3', 'file 1 freed', 'fd 3 of files_struct 1 closed (was file 1)']);
  });

  it('clone with CLONE_NEWNS adds a task, a namespace and its copies of the mounts', () => {
    const [cloned] = changesOf([{ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] }]);
    expect(cloned).toContain('task 2 added in namespace 2');
    expect(cloned).toContain('mount namespace 2 added (seq 2, root mount 5, 3 mounts)');
    expect(cloned).toContain('mount 6 added on / in namespace 2 (tmpfs)');
    expect(cloned).toContain('mount 7 added on /proc in namespace 2 (proc)');
    expect(cloned).toContain('superblock 2: s_active 1 -> 2');
  });

  it('a lazy umount of a held mount says it left the namespace, and its count drops', () => {
    const [, , , detached] = changesOf([mkdir('/mnt/a'), tmpfs('/mnt/a'), open('/mnt/a', ['O_PATH']), { type: 'umount2', task: INIT, target: '/mnt/a', flags: ['MNT_DETACH'] }]);
    expect(detached).toContain('mount 5 left namespace 1 (unmounted; disconnected)');
    expect(detached).toContain('mount 5 moved from /mnt/a (under mount 2) to no parent');
    expect(detached).toContain('mount 5: mnt_count 2 -> 1');
  });

  it('a propagation change and a remount are named with their before and after', () => {
    const [, shared, remounted] = changesOf([
      mkdir('/mnt/a'),
      { type: 'mount', task: INIT, source: null, target: '/', fstype: null, flags: ['MS_SHARED'] },
      { type: 'mount', task: INIT, source: null, target: '/', fstype: null, flags: ['MS_REMOUNT', 'MS_BIND', 'MS_RDONLY'] },
    ]);
    expect(shared).toEqual(['mount 2 propagation private -> shared:1']);
    expect(remounted).toEqual(['mount 2 flags rw -> ro']);
  });

  it('MS_MOVE says where the mount moved from and to', () => {
    const [, , , moved] = changesOf([mkdir('/mnt/a'), mkdir('/tmp/a'), tmpfs('/mnt/a'), { type: 'mount', task: INIT, source: '/mnt/a', target: '/tmp/a', fstype: null, flags: ['MS_MOVE'] }]);
    expect(moved).toContain('mount 5 moved from /mnt/a (under mount 2) to /tmp/a (under mount 2)');
  });

  it('a failed syscall changes nothing', () => {
    expect(changesOf([mkdir('/proc/x')])).toEqual([[]]);
  });
});
