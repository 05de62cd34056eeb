// The deep states `mntns check --stats` counts are recognised on short traces that reach them, and
// not on near misses.
import { describe, expect, it } from 'vitest';
import type { Event, Fd, MountFlag, TaskId } from '../model/index.js';
import type { Feature } from './features.js';
import { runEvents } from './run.js';

const INIT = 1 as TaskId;
const CHILD = 2 as TaskId;
const fd = (n: number): Fd => n as Fd;
const mount = (target: string, flags: MountFlag[], task: TaskId = INIT, source: string | null = null): Event =>
  ({ type: 'mount', task, source, target, fstype: null, flags });
const tmpfs = (target: string, task: TaskId = INIT): Event =>
  ({ type: 'mount', task, source: 'none', target, fstype: 'tmpfs', flags: [] });
const clone = (...flags: ('CLONE_NEWNS' | 'CLONE_NEWUSER')[]): Event => ({ type: 'clone', task: INIT, flags });
const openTreeClone = (path: string, task: TaskId = INIT): Event =>
  ({ type: 'open_tree', task, dfd: 'AT_FDCWD', path, flags: ['OPEN_TREE_CLONE'] });
const moveMountFromFd = (from: number, target: string, task: TaskId = INIT): Event => ({
  type: 'move_mount',
  task,
  from_dfd: fd(from),
  from_path: '',
  to_dfd: 'AT_FDCWD',
  to_path: target,
  flags: ['MOVE_MOUNT_F_EMPTY_PATH'],
});
const makeSharedRoot = mount('/', ['MS_SHARED', 'MS_REC']);

function reached(events: readonly Event[]): Set<Feature> {
  const outcome = runEvents(events, { features: true });
  expect(outcome.failure).toBeNull();
  expect(outcome.steps.every((step) => step.result.ok)).toBe(true);
  return new Set(outcome.features);
}

describe('features', () => {
  it('a shared "/" copied by clone(CLONE_NEWNS) has a peer in another namespace; a private one has none', () => {
    expect(reached([makeSharedRoot, clone('CLONE_NEWNS')])).toContain('peer-across-ns');
    expect(reached([clone('CLONE_NEWNS'), makeSharedRoot])).not.toContain('peer-across-ns');
  });
  it('making the copy a slave gives a slave whose master is in another namespace', () => {
    const features = reached([makeSharedRoot, clone('CLONE_NEWNS'), mount('/', ['MS_SLAVE'], CHILD)]);
    expect(features).toContain('slave-across-ns');
  });
  it('a mount on a shared mount with a peer elsewhere is propagated, and so is its umount', () => {
    const propagated = [makeSharedRoot, clone('CLONE_NEWNS'), tmpfs('/mnt')];
    expect(reached(propagated)).toContain('propagated-mount');
    expect(reached(propagated)).not.toContain('propagated-umount');
    expect(reached([...propagated, { type: 'umount2', task: INIT, target: '/mnt', flags: [] }])).toContain('propagated-umount');
  });
  it('a mount on a private mount and a recursive bind are not propagation', () => {
    const features = reached([tmpfs('/mnt'), mount('/tmp', ['MS_BIND', 'MS_REC'], INIT, '/')]);
    expect(features).not.toContain('propagated-mount');
  });
  it('clone(CLONE_NEWUSER|CLONE_NEWNS) gives a namespace owned by a new user namespace, with locked mounts', () => {
    const features = reached([clone('CLONE_NEWUSER', 'CLONE_NEWNS')]);
    expect(features).toContain('userns-owned-ns');
    expect(features).toContain('locked-mount');
    expect(reached([clone('CLONE_NEWNS')])).not.toContain('locked-mount');
  });
  it('open_tree(OPEN_TREE_CLONE) holds a detached tree; plain open_tree does not', () => {
    expect(reached([openTreeClone('/mnt')])).toContain('detached-tree-held');
    const plain = reached([{ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: [] }]);
    expect(plain).not.toContain('detached-tree-held');
  });
  it('a detached tree inherited by a task of a new namespace is held in another namespace than its origin', () => {
    expect(reached([openTreeClone('/mnt'), clone('CLONE_NEWNS')])).toContain('detached-tree-foreign');
    expect(reached([openTreeClone('/mnt'), clone()])).not.toContain('detached-tree-foreign');
  });
  it('a detached tree sent with SCM_RIGHTS and received is passed', () => {
    const features = reached([
      { type: 'socketpair', task: INIT },
      openTreeClone('/mnt'),
      { type: 'sendmsg', task: INIT, fd: fd(3), fds: [fd(5)] },
      { type: 'recvmsg', task: INIT, fd: fd(4) },
    ]);
    expect(features).toContain('detached-tree-passed');
  });
  it('move_mount of a detached tree attaches it and is a move', () => {
    const features = reached([openTreeClone('/mnt'), moveMountFromFd(3, '/tmp')]);
    expect(features).toContain('detached-tree-attached');
    expect(features).toContain('mount-moved');
  });
  it('MS_MOVE of a mount is a move', () => {
    expect(reached([tmpfs('/mnt'), mount('/tmp', ['MS_MOVE'], INIT, '/mnt')])).toContain('mount-moved');
  });
  it('pivot_root onto a new tmpfs in a new namespace succeeds', () => {
    const features = reached([
      { type: 'unshare', task: INIT, flags: ['CLONE_NEWNS'] },
      tmpfs('/tmp'),
      { type: 'pivot_root', task: INIT, new_root: '/tmp', put_old: '/tmp' },
    ]);
    expect(features).toContain('pivot-root');
  });
});
