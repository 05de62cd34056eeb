import { describe, expect, it } from 'vitest';
import type { Event } from '../model/index.js';
import { INIT, bind, cloneNewns, mkdir, mknod, open, tmpfs } from '../model/test-helpers.js';
import { checkRefcounts } from '../properties/invariants/refcounts-sound.js';
import { holdersOf, listReferences } from '../properties/index.js';
import { History } from './history.js';
import { holdersReport, parseObjectRef, whyAlive } from './holders.js';
import { makeTrace } from './trace.js';

function replayed(events: readonly Event[]): History {
  const history = new History(makeTrace({ steps: events.map((event) => ({ event, result: null, violations: [] })) }), { invariants: [] });
  history.goto(events.length);
  return history;
}

const scene = (): History =>
  replayed([
    mkdir('/mnt/a'),
    tmpfs('/mnt/a'),
    open('/mnt/a', ['O_PATH']),
    { type: 'chdir', task: INIT, path: '/mnt/a' },
    cloneNewns(),
    { type: 'umount2', task: INIT, target: '/mnt/a', flags: ['MNT_DETACH'] },
  ]);

describe('holders of an object', () => {
  it('parses KIND:ID and refuses anything else', () => {
    expect(parseObjectRef('mount:7')).toEqual({ kind: 'mount', id: 7 });
    expect(parseObjectRef('ns:2')).toEqual({ kind: 'mnt_namespace', id: 2 });
    expect(parseObjectRef('mount')).toBeNull();
    expect(parseObjectRef('bogus:1')).toBeNull();
  });

  it('names the fds (the clone copied the fd table), the cwd and the steps that took the references of a lazily unmounted mount', () => {
    const history = scene();
    expect(holdersReport(history.state, { kind: 'mount', id: 5 }, history.computed)).toBe(
      'mount 5 is held by: the cwd of task 1 (fs_struct 1), fd 3 of task 1 and fd 3 of task 2 (file 1) — taken at steps 2, 3, 4',
    );
  });

  it('names the nsproxy of each task in a namespace and the tree of each mount', () => {
    const history = scene();
    expect(holdersReport(history.state, { kind: 'mnt_namespace', id: 2 }, history.computed)).toBe(
      'mount namespace 2 is held by: the nsproxy of task 2 — taken at step 5',
    );
    // copy_mnt_ns() moved task 2's cwd onto the copy of mount 5
    expect(holdersReport(history.state, { kind: 'mount', id: 9 })).toBe('mount 9 is held by: the cwd of task 2 (fs_struct 2), the tree of namespace 2');
  });

  it('names the holders of superblocks, nsfs dentries and fs_structs', () => {
    const history = replayed([mknod('/tmp/f'), cloneNewns(), bind('/proc/2/ns/mnt', '/tmp/f')]);
    const { state } = history;
    const nsfs = Object.values(state.dentries).find((dentry) => dentry.kind === 'nsfs');
    expect(nsfs).toBeDefined();
    expect(holdersReport(state, { kind: 'dentry', id: nsfs?.id ?? 0 }, history.computed)).toMatch(/^nsfs dentry \d+ is held by: the root of mount \d+ — taken at step 3$/);
    expect(holdersReport(state, { kind: 'super_block', id: 3 })).toBe('superblock 3 is held by: mount 3, mount 7');
    expect(holdersReport(state, { kind: 'fs_struct', id: 2 })).toBe('fs_struct 2 is held by: task 2');
    expect(whyAlive(state, { kind: 'mnt_namespace', id: 2 })).toBe('mount namespace 2 is alive because: task 2 -> (its nsproxy) mount namespace 2');
  });

  it('lists as many holders as refcounts-sound counts: a broken count is one the list disagrees with', () => {
    const state = scene().state;
    const references = listReferences(state);
    for (const mount of Object.values(state.mounts)) expect(holdersOf(references, 'mount', mount.id)).toHaveLength(mount.mnt_count);
    expect(checkRefcounts(state)).toEqual([]);
  });

  it('explains why a mount is alive by the chain from a live task', () => {
    const state = scene().state;
    expect(whyAlive(state, { kind: 'mount', id: 5 })).toBe('mount 5 is alive because: task 1 -> (its fs) fs_struct 1 -> (its cwd) mount 5');
  });

  it('explains the kernel-internal nsfs mount as a root, and says when an object does not exist', () => {
    const state = scene().state;
    expect(whyAlive(state, { kind: 'mount', id: 4 })).toBe("mount 4 is alive because: the kernel's internal nsfs mount (mount 4)");
    expect(whyAlive(state, { kind: 'file', id: 99 })).toBe('file 99 does not exist in this state');
  });
});
