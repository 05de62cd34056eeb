// Detached trees (open_tree(OPEN_TREE_CLONE)) meeting propagation and move_mount(): need_secondary()
// skips anonymous namespaces (K10), check_for_nsfs_mounts() refuses to attach an nsfs mount into
// the namespace it would pin (K03), and an attached tree joins the target namespace.
import { describe, expect, it } from 'vitest';
import type { Event, MountFlag, OpenTreeFlag, TaskId } from '../index.js';
import { checkInvariants } from '../../properties/invariants/index.js';
import { INIT, Run, at, fdOf, mkdir, mknod, mnt, tmpfs } from '../test-helpers.js';

const change = (target: string, flags: MountFlag[]): Event =>
  ({ type: 'mount', task: INIT, source: null, target, fstype: null, flags });
const openTree = (path: string, flags: OpenTreeFlag[], actor: TaskId = INIT): Event =>
  ({ type: 'open_tree', task: actor, dfd: 'AT_FDCWD', path, flags });
const attach = (fd: number, to: string, actor: TaskId = INIT): Event => ({
  type: 'move_mount',
  task: actor,
  from_dfd: fdOf(fd),
  from_path: '',
  to_dfd: 'AT_FDCWD',
  to_path: to,
  flags: ['MOVE_MOUNT_F_EMPTY_PATH'],
});

describe('detached trees and propagation (need_secondary)', () => {
  it('a detached clone of a shared mount is its peer but receives no propagation (K10)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(change('/mnt', ['MS_SHARED']));
    run.ok(mkdir('/mnt/x'));
    const fd = run.ok(openTree('/mnt', ['OPEN_TREE_CLONE']));
    const clone = Object.values(run.state.mounts).find((mount) => mount.id > 5 && mount.mnt_sb === mnt(run, 5)?.mnt_sb);
    expect(clone?.mnt_group_id).toBe(mnt(run, 5)?.mnt_group_id);
    run.ok(tmpfs('/mnt/x'));
    expect(clone === undefined ? undefined : run.state.mounts[clone.id]?.mnt_mounts).toEqual([]);
    run.sound();
    // attached, it is an ordinary peer again
    run.ok(mkdir('/tmp/t'));
    run.ok(attach(fd, '/tmp/t'));
    expect(at(run, '/tmp/t').mnt).toBe(clone?.id);
    run.sound();
  });
  it('with the seeded bug propagate-into-anon-ns, the detached tree gets a copy', () => {
    const run = new Run({ bug: 'propagate-into-anon-ns' });
    run.ok(tmpfs('/mnt'));
    run.ok(change('/mnt', ['MS_SHARED']));
    run.ok(mkdir('/mnt/x'));
    run.ok(openTree('/mnt', ['OPEN_TREE_CLONE']));
    const before = run.state;
    run.ok(tmpfs('/mnt/x'));
    const anon = Object.values(run.state.mntNamespaces).find((ns) => ns.anon);
    expect(anon?.nr_mounts).toBe(2);
    expect(before).not.toBe(run.state);
  });
});

describe('move_mount() of a detached tree (check_for_nsfs_mounts)', () => {
  it("fails ELOOP attaching a clone of the caller's own nsfs file (experiment 10, K03)", () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    const fd = run.ok(openTree('/proc/self/ns/mnt', ['OPEN_TREE_CLONE']));
    expect(run.fails(attach(fd, '/tmp/f'), 'ELOOP')).toMatch(/check_for_nsfs_mounts/);
  });
  it('with the seeded bug move-mount-skips-nsfs-check, the namespace pins itself', () => {
    const run = new Run({ bug: 'move-mount-skips-nsfs-check' });
    run.ok(mknod('/tmp/f'));
    const fd = run.ok(openTree('/proc/self/ns/mnt', ['OPEN_TREE_CLONE']));
    run.ok(attach(fd, '/tmp/f'));
    expect(checkInvariants(run.state).map((violation) => violation.invariant)).toContain('no-mnt-ns-loop');
  });
});
