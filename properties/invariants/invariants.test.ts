// Each invariant holds on sound states and fires on a state broken in the way it guards against.
import { describe, expect, it } from 'vitest';
import type { DentryId, MntNsId, MountId, State } from '../../model/index.js';
import { Run, INIT, fdOf, task } from '../../model/test-helpers.js';
import { checkMountTree } from './mount-tree-well-formed.js';
import { checkNoLeak } from './no-leak.js';
import { checkNoMntNsLoop } from './no-mnt-ns-loop.js';
import { checkNoUseAfterFree } from './no-use-after-free.js';
import { checkRefcounts } from './refcounts-sound.js';
import { checkTaskPaths } from './task-paths-valid.js';

/** A state with two namespaces, an nsfs bind of the younger one, a lazily unmounted mount held by an fd. */
function richState(): State {
  const run = new Run();
  run.ok({ type: 'mkdir', task: INIT, path: '/mnt/a' });
  run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt/a', fstype: 'tmpfs', flags: [] });
  run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
  run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
  run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
  run.ok({ type: 'open', task: INIT, path: '/mnt/a', flags: ['O_PATH'] });
  run.ok({ type: 'umount2', task: INIT, target: '/mnt/a', flags: ['MNT_DETACH'] });
  run.sound();
  return run.state;
}

/** A structuredClone that the test may then break. */
function broken(state: State, edit: (copy: { -readonly [K in keyof State]: any }) => void): State {
  const copy = structuredClone(state) as { -readonly [K in keyof State]: any };
  edit(copy);
  return copy as State;
}

const mntNsOf = (state: State, id: number) => state.mounts[id as MountId]?.mnt_ns;

const names = (violations: readonly { message: string }[]) => violations.map((violation) => violation.message);

describe('refcounts-sound', () => {
  it('holds on a state with nsfs binds and lazily unmounted mounts', () => {
    expect(checkRefcounts(richState())).toEqual([]);
  });
  it('fires when a mount count exceeds its holders (a leaked mntget)', () => {
    const state = broken(richState(), (s) => {
      s.mounts[2].mnt_count++;
    });
    expect(names(checkRefcounts(state))).toEqual(['mount 2 has mnt_count 4, but 3 references to it exist']);
  });
  it('fires when a namespace reference is missing (the nsfs inode ref dropped twice)', () => {
    const state = broken(richState(), (s) => {
      s.mntNamespaces[2].count--;
    });
    expect(checkRefcounts(state).map((v) => v.objects[0])).toEqual([{ kind: 'mnt_namespace', id: 2 }]);
  });
  it('fires when an object with no references was not freed', () => {
    const state = broken(richState(), (s) => {
      s.files[99] = { kind: 'socket', id: 99, f_count: 0, peer: null, receiveQueue: [], sk_err: null };
    });
    expect(names(checkRefcounts(state))).toEqual(['file 99 has no references left but was not freed']);
  });
});

describe('no-use-after-free', () => {
  it('holds on a sound state', () => {
    expect(checkNoUseAfterFree(richState())).toEqual([]);
  });
  it('fires when an fd still holds a freed mount', () => {
    const state = broken(richState(), (s) => {
      delete s.mounts[5];
    });
    expect(names(checkNoUseAfterFree(state))).toContain('file 1 still uses mount 5, which was freed');
  });
  it('fires when a namespace still stashes a freed nsfs dentry', () => {
    const state = broken(richState(), (s) => {
      const stashed = s.mntNamespaces[2].stashed as number;
      delete s.dentries[stashed];
    });
    expect(names(checkNoUseAfterFree(state)).some((message) => message.includes('stashed nsfs dentry'))).toBe(true);
  });
});

describe('no-leak', () => {
  it('holds on a sound state', () => {
    expect(checkNoLeak(richState())).toEqual([]);
  });
  it('fires for a superblock nothing mounts any more', () => {
    const state = broken(richState(), (s) => {
      s.superBlocks[77] = { ...s.superBlocks[2], id: 77, s_active: 1 };
    });
    expect(names(checkNoLeak(state))).toEqual(['superblock 77 is still allocated but nothing live can reach it: it can never be freed']);
  });
  it('fires for two namespaces that only pin each other', () => {
    const run = new Run({ bug: 'copy-mnt-ns-keeps-nsfs' });
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] }); // task 2 in ns 2
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWNS'] }); // ns 3 keeps the nsfs bind of ns 2
    run.ok({ type: 'mount', task: task(2), source: '/proc/1/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
    run.ok({ type: 'exit', task: task(2) });
    run.ok({ type: 'exit', task: INIT });
    const leaked = checkNoLeak(run.state).filter((v) => v.objects[0]?.kind === 'mnt_namespace');
    expect(leaked.map((v) => v.objects[0]?.id)).toEqual([2, 3]);
  });
});

describe('no-mnt-ns-loop', () => {
  it('holds when a namespace pins a namespace with a larger id', () => {
    expect(checkNoMntNsLoop(richState())).toEqual([]);
  });
  it('fires (NSFS-ORDER) when a namespace holds the nsfs file of a namespace with a smaller id', () => {
    const state = broken(richState(), (s) => {
      s.mntNamespaces[2].seq = 0;
    });
    const violations = checkNoMntNsLoop(state);
    expect(violations.map((v) => v.objects.map((o) => o.id))).toEqual([[1, 10, 2]]);
  });
  it('fires on a cycle in the pin graph and names the loop', () => {
    const run = new Run({ bug: 'mnt-ns-loop-off-by-one' });
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    run.ok({ type: 'mount', task: INIT, source: '/proc/self/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
    const messages = names(checkNoMntNsLoop(run.state));
    expect(messages).toContain('mount namespaces 1 -> 1 pin each other in a loop: none of them can ever be freed');
  });
});

describe('mount-tree-well-formed', () => {
  it('holds on a sound state', () => {
    expect(checkMountTree(richState())).toEqual([]);
  });
  it('fires when a parent chain loops', () => {
    const state = broken(richState(), (s) => {
      s.mounts[1].mnt_parent = 2 as MountId;
      s.mounts[1].mnt_mountpoint = s.mounts[2].mnt_root as DentryId;
    });
    expect(names(checkMountTree(state))).toContain('mount 1 is its own ancestor: the parent chain loops');
  });
  it('fires when a mount of a namespace does not reach its root', () => {
    const state = broken(richState(), (s) => {
      s.mounts[5].mnt_ns = 1 as MntNsId;
      s.mntNamespaces[1].nr_mounts++;
    });
    expect(names(checkMountTree(state))).toContain('mount 5 is in namespace 1 but does not reach its root mount 1');
  });
  it('fires when the parent chain of a lazily unmounted (detached) mount loops', () => {
    const state = broken(richState(), (s) => {
      s.mounts[5].mnt_parent = 5 as MountId;
      s.mounts[5].mnt_mountpoint = s.mounts[5].mnt_root;
      s.mounts[5].mnt_mounts = [5];
    });
    expect(mntNsOf(state, 5)).toBeNull();
    expect(names(checkMountTree(state))).toContain('mount 5 is its own ancestor: the parent chain loops');
  });
  it('fires when the parent and child lists of an anonymous tree disagree, or its parent chain loops', () => {
    const run = new Run();
    run.ok({ type: 'mkdir', task: INIT, path: '/mnt/a' });
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt/a', fstype: 'tmpfs', flags: [] });
    run.ok({ type: 'mkdir', task: INIT, path: '/mnt/a/b' });
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt/a/b', fstype: 'tmpfs', flags: [] });
    run.ok({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt/a', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] });
    expect(run.state.mounts[8 as MountId]).toMatchObject({ mnt_parent: 7, mnt_ns: 2 });
    expect(run.state.mntNamespaces[2 as MntNsId]?.anon).toBe(true);
    expect(checkMountTree(run.state)).toEqual([]);
    const orphan = broken(run.state, (s) => {
      s.mounts[7].mnt_mounts = [];
    });
    expect(names(checkMountTree(orphan))).toEqual(['mount 8 names mount 7 as parent but is not among its children']);
    const loop = broken(run.state, (s) => {
      s.mounts[7].mnt_parent = 8;
      s.mounts[7].mnt_mountpoint = s.mounts[8].mnt_root;
      s.mounts[8].mnt_mounts = [7];
    });
    expect(names(checkMountTree(loop))).toEqual(expect.arrayContaining([
      'mount 7 is its own ancestor: the parent chain loops',
      'mount 8 is its own ancestor: the parent chain loops',
    ]));
  });
  it('fires when nr_mounts disagrees with the mounts in the namespace', () => {
    const state = broken(richState(), (s) => {
      s.mntNamespaces[1].nr_mounts = 42;
    });
    expect(names(checkMountTree(state))).toEqual(['mount namespace 1 has nr_mounts 42 but 4 mounts are in it']);
  });
});

describe('task-paths-valid', () => {
  it('holds when a cwd is kept in a lazily unmounted tree', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] });
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(checkTaskPaths(run.state)).toEqual([]);
  });
  it('fires when a cwd dentry lies outside its mount', () => {
    const state = broken(richState(), (s) => {
      s.fsStructs[1].pwd = { mnt: 3, dentry: s.fsStructs[1].pwd.dentry };
    });
    expect(names(checkTaskPaths(state))).toEqual([
      'the cwd of task 1 is outside its mount 3: the dentry is not below the mount\'s root',
    ]);
  });
  it('fires when a cwd is not a directory', () => {
    const run = new Run({ bug: 'fchdir-skips-directory-check' });
    run.ok({ type: 'open', task: INIT, path: '/proc/self/ns/mnt', flags: [] });
    run.ok({ type: 'fchdir', task: INIT, fd: fdOf(3) });
    expect(names(checkTaskPaths(run.state))).toContain('the cwd of task 1 is not a directory');
  });
});
