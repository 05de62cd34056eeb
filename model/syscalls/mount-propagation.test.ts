// Shared subtrees through mount(2): propagation changes (do_change_type, change_mnt_propagation),
// propagation of new mounts and binds (propagate_mnt, attach_recursive_mnt), of umounts
// (propagate_umount, propagate_mount_busy), and MS_MOVE (do_move_mount), each checked against
// Documentation/filesystems/sharedsubtree.rst, mount_namespaces(7) and the 6.18 experiments of
// ../shared/docs/kernel-semantics.md §12.
import { describe, expect, it } from 'vitest';
import type { Event, MountFlag, TaskId, UmountFlag } from '../index.js';
import { INIT, Run, at, bind, cloneNewns, dropCaps, mkdir, mknod, mnt, ns, open, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const change = (target: string, flags: MountFlag[], actor: TaskId = INIT): Event =>
  ({ type: 'mount', task: actor, source: null, target, fstype: null, flags });
const move = (source: string, target: string, actor: TaskId = INIT): Event =>
  ({ type: 'mount', task: actor, source, target, fstype: null, flags: ['MS_MOVE'] });
const umount = (target: string, flags: UmountFlag[] = [], actor: TaskId = INIT): Event =>
  ({ type: 'umount2', task: actor, target, flags });

/** /mnt is a shared tmpfs (mount 5) and CHILD has a copy of the namespace: its /mnt is a peer. */
function sharedAcrossNamespaces(): Run {
  const run = new Run();
  run.ok(tmpfs('/mnt'));
  run.ok(change('/mnt', ['MS_SHARED']));
  run.ok(mkdir('/mnt/x'));
  run.ok(cloneNewns());
  return run;
}

describe('mount(2) propagation changes (do_change_type)', () => {
  it('MS_SHARED gives the mount a new peer group, and a namespace copy joins it', () => {
    const run = sharedAcrossNamespaces();
    const group = mnt(run, 5)?.mnt_group_id;
    expect(group).not.toBeNull();
    const copy = at(run, '/mnt', CHILD).mnt;
    expect(copy).not.toBe(5);
    expect(mnt(run, copy)?.mnt_group_id).toBe(group);
    run.sound();
  });
  it('MS_SLAVE of a mount with peers makes it a slave of a peer; of a lone shared mount, private', () => {
    const run = sharedAcrossNamespaces();
    const copy = at(run, '/mnt', CHILD).mnt;
    run.ok(change('/mnt', ['MS_SLAVE'], CHILD));
    expect(mnt(run, copy)).toMatchObject({ mnt_group_id: null, mnt_master: 5 });
    run.ok(change('/mnt', ['MS_SLAVE']));
    expect(mnt(run, 5)).toMatchObject({ mnt_group_id: null, mnt_master: null });
    expect(mnt(run, copy)?.mnt_master).toBeNull(); // its master left with no master of its own
    run.sound();
  });
  it('MS_SHARED of a slave makes it shared and slave (experiment 34)', () => {
    const run = sharedAcrossNamespaces();
    const copy = at(run, '/mnt', CHILD).mnt;
    run.ok(change('/mnt', ['MS_SLAVE'], CHILD));
    run.ok(change('/mnt', ['MS_SHARED'], CHILD));
    expect(mnt(run, copy)?.mnt_master).toBe(5);
    expect(mnt(run, copy)?.mnt_group_id).not.toBe(mnt(run, 5)?.mnt_group_id);
    run.sound();
  });
  it('MS_UNBINDABLE makes the mount private and unbindable; MS_SHARED clears it again', () => {
    const run = sharedAcrossNamespaces();
    run.ok(change('/mnt', ['MS_UNBINDABLE']));
    expect(mnt(run, 5)).toMatchObject({ mnt_group_id: null, mnt_master: null, unbindable: true });
    run.ok(change('/mnt', ['MS_SHARED']));
    expect(mnt(run, 5)?.unbindable).toBe(false);
    run.sound();
  });
  it('MS_REC changes every mount of the subtree', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok(change('/mnt', ['MS_SHARED', 'MS_REC']));
    expect([mnt(run, 5)?.mnt_group_id, mnt(run, 6)?.mnt_group_id].every((group) => group !== null)).toBe(true);
    expect(mnt(run, 5)?.mnt_group_id).not.toBe(mnt(run, 6)?.mnt_group_id);
    run.sound();
  });
  it('fails EINVAL at path_mounted on a path that is not a mount root', () => {
    const run = new Run();
    expect(run.fails(change('/mnt', ['MS_PRIVATE']), 'EINVAL')).toMatch(/path_mounted/);
  });
  it('fails EINVAL with two propagation flags, or another flag beside one (experiment 19)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.fails(change('/mnt', ['MS_SHARED', 'MS_SLAVE']), 'EINVAL');
    run.fails(change('/mnt', ['MS_SHARED', 'MS_RDONLY']), 'EINVAL');
  });
  it('fails EINVAL on a lazily unmounted mount reached through a cwd (experiment 31, CVE-2025-38498)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok(umount('/mnt', ['MNT_DETACH']));
    expect(run.fails(change('.', ['MS_SHARED']), 'EINVAL')).toMatch(/not mounted/);
  });
  it('with the seeded bug change-type-on-detached, makes an unmounted mount shared', () => {
    const run = new Run({ bug: 'change-type-on-detached' });
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok(umount('/mnt', ['MNT_DETACH']));
    run.ok(change('.', ['MS_SHARED']));
    expect(mnt(run, 5)).toMatchObject({ mnt_ns: null });
    expect(mnt(run, 5)?.mnt_group_id).not.toBeNull();
  });
  it('fails EPERM without CAP_SYS_ADMIN (may_mount)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(dropCaps);
    run.fails(change('/mnt', ['MS_SHARED']), 'EPERM');
  });
});

describe('propagation of new mounts and binds (propagate_mnt)', () => {
  it('a mount under a shared mount appears in its peer in the other namespace, in the same new group', () => {
    const run = sharedAcrossNamespaces();
    run.ok(tmpfs('/mnt/x'));
    const mine = at(run, '/mnt/x').mnt;
    const theirs = at(run, '/mnt/x', CHILD).mnt;
    expect(theirs).not.toBe(mine);
    expect(mnt(run, theirs)?.mnt_sb).toBe(mnt(run, mine)?.mnt_sb);
    expect(mnt(run, theirs)?.mnt_group_id).toBe(mnt(run, mine)?.mnt_group_id);
    expect(mnt(run, mine)?.mnt_group_id).not.toBeNull();
    expect(ns(run, 2)?.nr_mounts).toBe(5);
    run.sound();
  });
  it('a slave receives from its master but does not send back', () => {
    const run = sharedAcrossNamespaces();
    run.ok(change('/mnt', ['MS_SLAVE'], CHILD));
    run.ok(mkdir('/mnt/y'));
    run.ok(tmpfs('/mnt/x'));
    const theirs = at(run, '/mnt/x', CHILD).mnt;
    expect(mnt(run, theirs)?.mnt_master).toBe(at(run, '/mnt/x').mnt);
    run.ok(tmpfs('/mnt/y', CHILD));
    expect(at(run, '/mnt/y').mnt).toBe(5);
    run.sound();
  });
  it('a private mount neither sends nor receives', () => {
    const run = sharedAcrossNamespaces();
    run.ok(change('/mnt', ['MS_PRIVATE'], CHILD));
    run.ok(tmpfs('/mnt/x'));
    expect(at(run, '/mnt/x', CHILD).mnt).not.toBe(at(run, '/mnt/x').mnt);
    expect(mnt(run, at(run, '/mnt/x', CHILD).mnt)?.mnt_sb).toBe(5);
    run.sound();
  });
  it('a copy landing where the receiver already has a mount is slid under it', () => {
    const run = sharedAcrossNamespaces();
    run.ok(change('/mnt', ['MS_SLAVE'], CHILD));
    run.ok(tmpfs('/mnt/x', CHILD));
    const theirs = at(run, '/mnt/x', CHILD).mnt;
    run.ok(tmpfs('/mnt/x'));
    // CHILD still sees its own mount on top; the copy sits beneath it
    expect(at(run, '/mnt/x', CHILD).mnt).toBe(theirs);
    const copy = mnt(run, theirs)?.mnt_parent;
    expect(copy).not.toBe(at(run, '/mnt', CHILD).mnt);
    expect(mnt(run, copy ?? 0)?.mnt_parent).toBe(at(run, '/mnt', CHILD).mnt);
    run.sound();
  });
  it('bind of a private source under a shared mount forms a new group with its copies (experiment 18 is a plain bind)', () => {
    const run = sharedAcrossNamespaces();
    run.ok(mkdir('/tmp/src'));
    run.ok(bind('/tmp/src', '/mnt/x'));
    const mine = at(run, '/mnt/x').mnt;
    expect(mnt(run, mine)?.mnt_group_id).not.toBeNull();
    expect(mnt(run, at(run, '/mnt/x', CHILD).mnt)?.mnt_group_id).toBe(mnt(run, mine)?.mnt_group_id);
    expect(mnt(run, 2)?.mnt_group_id).toBeNull(); // the source stays private
    run.sound();
  });
  it('MS_BIND|MS_SHARED is a plain bind: the propagation flag is ignored (experiment 18)', () => {
    const run = new Run();
    run.ok(mkdir('/tmp/src'));
    run.ok(bind('/tmp/src', '/mnt', INIT, ['MS_BIND', 'MS_SHARED']));
    expect(mnt(run, at(run, '/mnt').mnt)?.mnt_group_id).toBeNull();
  });
  it('bind of an nsfs file onto a shared mount with a peer fails EINVAL; with no peer it works (experiment 7)', () => {
    const run = sharedAcrossNamespaces();
    run.ok(mknod('/mnt/f'));
    expect(run.fails(bind(`/proc/${CHILD}/ns/mnt`, '/mnt/f'), 'EINVAL')).toMatch(/is_mnt_ns_file/);
    run.ok(change('/mnt', ['MS_PRIVATE'], CHILD));
    run.ok(bind(`/proc/${CHILD}/ns/mnt`, '/mnt/f'));
    run.sound();
  });
  it('rbind skips unbindable mounts, and a bind of an unbindable mount fails EINVAL (experiment 19)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/u'));
    run.ok(tmpfs('/mnt/u'));
    run.ok(change('/mnt/u', ['MS_UNBINDABLE']));
    run.fails(bind('/mnt/u', '/tmp'), 'EINVAL');
    run.ok(bind('/mnt', '/tmp', INIT, ['MS_BIND', 'MS_REC']));
    expect(mnt(run, at(run, '/tmp').mnt)?.mnt_mounts).toEqual([]);
    run.sound();
  });
  it('a namespace copy of an unbindable mount is bindable, as on 6.18 (experiment 33)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(change('/mnt', ['MS_UNBINDABLE']));
    run.ok(cloneNewns());
    expect(mnt(run, at(run, '/mnt', CHILD).mnt)?.unbindable).toBe(false);
    run.ok(bind('/mnt', '/tmp', CHILD));
    run.fails(bind('/mnt', '/tmp'), 'EINVAL');
  });
});

describe('umount propagation (propagate_umount, propagate_mount_busy)', () => {
  it('umount of a mount takes its idle copies in the peers away too (experiment 15)', () => {
    const run = sharedAcrossNamespaces();
    run.ok(tmpfs('/mnt/x'));
    run.ok(umount('/mnt/x'));
    expect(at(run, '/mnt/x', CHILD).mnt).toBe(at(run, '/mnt', CHILD).mnt);
    expect(ns(run, 2)?.nr_mounts).toBe(4);
    run.sound();
  });
  it('fails EBUSY when a copy in a peer is busy (experiment 15)', () => {
    const run = sharedAcrossNamespaces();
    run.ok(tmpfs('/mnt/x'));
    run.ok(open('/mnt/x', [], CHILD));
    expect(run.fails(umount('/mnt/x'), 'EBUSY')).toMatch(/propagate_mount_busy/);
  });
  it('a lazy umount takes a busy copy too: there is no busy check', () => {
    const run = sharedAcrossNamespaces();
    run.ok(tmpfs('/mnt/x'));
    run.ok(open('/mnt/x', [], CHILD));
    run.ok(umount('/mnt/x', ['MNT_DETACH']));
    expect(at(run, '/mnt/x', CHILD).mnt).toBe(at(run, '/mnt', CHILD).mnt);
    run.sound();
  });
  it('a copy with a mount of its own on it stays', () => {
    const run = sharedAcrossNamespaces();
    run.ok(tmpfs('/mnt/x'));
    run.ok(change('/mnt', ['MS_SLAVE'], CHILD));
    const copy = at(run, '/mnt/x', CHILD).mnt;
    run.ok(change('/mnt/x', ['MS_SLAVE'], CHILD)); // else CHILD's mount would come back to us
    run.ok(mkdir('/mnt/x/y'));
    run.ok(tmpfs('/mnt/x/y', CHILD));
    run.ok(umount('/mnt/x'));
    expect(mnt(run, copy)?.mnt_ns).toBe(2);
    run.sound();
  });
  it('the slaves of an unmounted mount with no master become private', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(change('/mnt', ['MS_SHARED']));
    run.ok(mkdir('/tmp/s'));
    run.ok(bind('/mnt', '/tmp/s'));
    const slave = at(run, '/tmp/s').mnt;
    run.ok(change('/tmp/s', ['MS_SLAVE']));
    expect(mnt(run, slave)?.mnt_master).toBe(5);
    run.ok(umount('/mnt', ['MNT_DETACH']));
    expect(mnt(run, slave)).toMatchObject({ mnt_master: null, mnt_group_id: null });
    run.sound();
  });
});

describe('mount(2) with MS_MOVE (do_move_mount)', () => {
  it('moves a mount and its subtree', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok(move('/mnt', '/tmp'));
    expect(at(run, '/tmp').mnt).toBe(5);
    expect(at(run, '/tmp/a').mnt).toBe(6);
    expect(at(run, '/mnt').mnt).toBe(2);
    run.sound();
  });
  it('fails ELOOP into its own subtree (experiment 17)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    expect(run.fails(move('/mnt', '/mnt/a'), 'ELOOP')).toMatch(/mount_is_ancestor/);
  });
  it('with the seeded bug move-into-own-subtree, hangs the mount below itself', () => {
    const run = new Run({ bug: 'move-into-own-subtree' });
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(move('/mnt', '/mnt/a'));
    expect(mnt(run, 5)?.mnt_parent).toBe(5);
  });
  it('fails EINVAL from under a shared parent, for a non-root source, and onto a file (experiments 17, 20)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok(mknod('/tmp/f'));
    run.fails(move('/mnt/a', '/tmp/f'), 'EINVAL');
    run.fails(move('/tmp', '/mnt/a'), 'EINVAL');
    run.ok(change('/mnt', ['MS_SHARED']));
    expect(run.fails(move('/mnt/a', '/tmp'), 'EINVAL')).toMatch(/parent is shared/);
  });
  it('fails EINVAL for an unbindable mount moved under a shared mount', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(change('/mnt', ['MS_UNBINDABLE']));
    run.ok(tmpfs('/tmp'));
    run.ok(mkdir('/tmp/d'));
    run.ok(change('/tmp', ['MS_SHARED']));
    expect(run.fails(move('/mnt', '/tmp/d'), 'EINVAL')).toMatch(/unbindable/);
  });
  it('a private mount moved under a shared mount becomes shared and propagates', () => {
    const run = sharedAcrossNamespaces();
    run.ok(mkdir('/tmp/m'));
    run.ok(tmpfs('/tmp/m'));
    run.ok(move('/tmp/m', '/mnt/x'));
    const moved = at(run, '/mnt/x').mnt;
    expect(mnt(run, moved)?.mnt_group_id).not.toBeNull();
    expect(mnt(run, at(run, '/mnt/x', CHILD).mnt)?.mnt_group_id).toBe(mnt(run, moved)?.mnt_group_id);
    run.sound();
  });
});
