import { describe, expect, it } from 'vitest';
import type { Event, TaskId } from '../model/index.js';
import { fd } from '../model/index.js';
import { isOneMinimal, shrinkEvents, simplerEvents } from './shrink.js';

const INIT = 1 as TaskId;
const CHILD = 2 as TaskId;
const bug = { bug: 'mnt-ns-loop-off-by-one' } as const;

// A padded loop: only mknod and the self-bind matter.
const padded: Event[] = [
  { type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] },
  { type: 'mkdir', task: CHILD, path: '/tmp/a' },
  { type: 'open', task: INIT, path: '/proc/self/ns/mnt', flags: ['O_PATH'] },
  { type: 'mknod', task: INIT, path: '/mnt/f' },
  { type: 'chdir', task: INIT, path: '/mnt' },
  { type: 'mount', task: INIT, source: '/proc/self/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND', 'MS_REC'] },
  { type: 'close', task: INIT, fd: fd(3) },
];

describe('shrinkEvents', () => {
  it('removes every event the violation does not need, cuts what follows it, and drops needless flags', () => {
    const shrunk = shrinkEvents(padded, { model: bug, invariant: 'no-mnt-ns-loop' });
    expect(shrunk.events).toEqual([
      { type: 'mknod', task: INIT, path: '/mnt/f' },
      { type: 'mount', task: INIT, source: '/proc/self/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] },
    ]);
    expect(shrunk.minimal).toBe(true);
    expect(isOneMinimal(shrunk.events, { model: bug, invariant: 'no-mnt-ns-loop' })).toBe(true);
  });
  it('reports each smaller trace it keeps, shorter or simpler each time', () => {
    const lengths: number[] = [];
    shrinkEvents(padded, { model: bug, invariant: 'no-mnt-ns-loop', onProgress: (events) => lengths.push(events.length) });
    expect(lengths.length).toBeGreaterThan(0);
    expect([...lengths].sort((a, b) => b - a)).toEqual(lengths);
  });
  it('is deterministic', () => {
    const settings = { model: bug, invariant: 'no-mnt-ns-loop' };
    expect(shrinkEvents(padded, settings)).toEqual(shrinkEvents(padded, settings));
  });
  it('refuses events that do not break the invariant', () => {
    expect(() => shrinkEvents(padded, { model: {}, invariant: 'no-mnt-ns-loop' })).toThrow(/do not violate no-mnt-ns-loop/);
  });
  it('stops at its run budget and says the result may not be minimal', () => {
    const shrunk = shrinkEvents(padded, { model: bug, invariant: 'no-mnt-ns-loop', maxRuns: 2 });
    expect(shrunk.minimal).toBe(false);
    expect(shrunk.runs).toBe(2);
  });
});

describe('isOneMinimal', () => {
  it('is false where one event can go', () => {
    expect(isOneMinimal(padded, { model: bug, invariant: 'no-mnt-ns-loop' })).toBe(false);
  });
  it('is false where one flag can go', () => {
    expect(isOneMinimal(padded.slice(3, 4).concat(padded.slice(5, 6)), { model: bug, invariant: 'no-mnt-ns-loop' })).toBe(false);
  });
});

describe('simplerEvents', () => {
  it('offers one change at a time: one flag fewer, a shorter path, a smaller fd, AT_FDCWD, the first task', () => {
    const variants = simplerEvents({ type: 'open_tree', task: CHILD, dfd: fd(5), path: '/mnt/a', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] });
    expect(variants).toEqual([
      { type: 'open_tree', task: INIT, dfd: 5, path: '/mnt/a', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] },
      { type: 'open_tree', task: CHILD, dfd: 5, path: '/mnt/a', flags: ['AT_RECURSIVE'] },
      { type: 'open_tree', task: CHILD, dfd: 5, path: '/mnt/a', flags: ['OPEN_TREE_CLONE'] },
      { type: 'open_tree', task: CHILD, dfd: 'AT_FDCWD', path: '/mnt/a', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] },
      { type: 'open_tree', task: CHILD, dfd: 5, path: '/mnt', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] },
      { type: 'open_tree', task: CHILD, dfd: 5, path: '/', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] },
    ]);
  });
  it('has nothing simpler than "/" and no flags', () => {
    expect(simplerEvents({ type: 'chroot', task: INIT, path: '/' })).toEqual([]);
  });
});
