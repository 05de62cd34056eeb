// umount2(2): plain, lazy (MNT_DETACH), MNT_EXPIRE, MNT_FORCE and UMOUNT_NOFOLLOW; each success
// path with its effect on the tree and the reference counts, each errno with the check that
// returns it (can_umount, do_umount), including the order of the checks, and the permission paths
// in a user namespace: may_mount(), MNT_LOCKED, MNT_FORCE and the own root against sb->s_user_ns.
import { describe, expect, it } from 'vitest';
import type { Event, TaskId, UmountFlag } from '../index.js';
import { dentryId } from '../index.js';
import { INIT, Run, at, cloneNewns, dropCaps, fdOf, fsOf, mkdir, mnt, ns, open, sb, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const umount = (target: string, flags: UmountFlag[] = [], actor: TaskId = INIT): Event =>
  ({ type: 'umount2', task: actor, target, flags });
const openPath = (path: string): Event => open(path, ['O_PATH']);


describe('umount2(2) that unmounts', () => {
  it('of an idle mount detaches it and frees it, its superblock and its mountpoint', () => {
    const run = new Run();
    const dir = at(run, '/mnt');
    run.ok(tmpfs('/mnt'));
    const root = mnt(run, 5)?.mnt_root ?? dentryId(0);
    expect(run.ok(umount('/mnt'))).toBe(0);
    expect([mnt(run, 5), sb(run, 5), run.state.dentries[root]]).toEqual([undefined, undefined, undefined]);
    expect(run.state.mountpoints[dir.dentry]).toBeUndefined();
    expect(mnt(run, 2)?.mnt_mounts).toEqual([3]);
    expect(ns(run, 1)?.nr_mounts).toBe(3);
    expect(at(run, '/mnt')).toEqual(dir);
    run.sound();
  });
  it('of the top of a stack uncovers the mount below', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(tmpfs('/mnt'));
    run.ok(umount('/mnt'));
    expect(mnt(run, 6)).toBeUndefined();
    expect(mnt(run, 5)?.mnt_mounts).toEqual([]);
    expect(run.state.mountpoints[mnt(run, 5)?.mnt_root ?? dentryId(0)]).toBeUndefined();
    expect(at(run, '/mnt').mnt).toBe(5);
    run.sound();
  });
  it('of a bind mount drops one s_active of the shared superblock, which stays', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: '/mnt', target: '/tmp', fstype: null, flags: ['MS_BIND'] });
    expect(sb(run, 2)?.s_active).toBe(2);
    run.ok(umount('/tmp'));
    expect(sb(run, 2)?.s_active).toBe(1);
    run.sound();
  });
  it('of an nsfs bind frees the nsfs dentry, whose inode drops its namespace reference', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
    const nsfs = ns(run, 2)?.stashed ?? dentryId(0);
    run.ok(umount('/tmp/f'));
    expect(run.state.dentries[nsfs]).toBeUndefined();
    expect(ns(run, 2)).toMatchObject({ stashed: null, count: 1 });
    expect(sb(run, 4)?.s_active).toBe(1);
    run.sound();
  });
  it('with MNT_FORCE of an idle mount unmounts it (->umount_begin is not modelled)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(umount('/mnt', ['MNT_FORCE']));
    expect(mnt(run, 5)).toBeUndefined();
    run.sound();
  });
  it('of "/" with a mount stacked on it unmounts that mount: LOOKUP_MOUNTPOINT follows to the top', () => {
    const run = new Run();
    run.ok(tmpfs('/'));
    run.ok(umount('/'));
    expect(mnt(run, 5)).toBeUndefined();
    expect(sb(run, 2)?.sb_rdonly).toBe(false);
    run.sound();
  });
  it('of "." in an overmounted cwd unmounts the mount on top of it (LOOKUP_MOUNTPOINT)', () => {
    const run = new Run();
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok(tmpfs('/mnt'));
    run.ok(umount('.'));
    expect(mnt(run, 5)).toBeUndefined();
    run.sound();
  });
  it("of the caller's own root without MNT_DETACH remounts its superblock read-only and returns 0", () => {
    const run = new Run();
    const before = run.state;
    expect(run.ok(umount('/'))).toBe(0);
    expect(sb(run, 2)?.sb_rdonly).toBe(true);
    expect(run.state.mounts).toBe(before.mounts);
    run.sound();
  });
  it("of the caller's own root with MNT_DETACH takes it out of the namespace; it stays the caller's root", () => {
    const run = new Run();
    run.ok(umount('/', ['MNT_DETACH']));
    expect(mnt(run, 2)).toMatchObject({ mnt_ns: null, mnt_parent: null, mnt_count: 2, mnt_mounts: [] });
    expect([mnt(run, 3), sb(run, 3)]).toEqual([undefined, undefined]); // /proc had no other holder
    expect(ns(run, 1)?.nr_mounts).toBe(1);
    expect(at(run, '/mnt').mnt).toBe(2);
    run.sound();
  });
});

describe('umount2(2) MNT_DETACH (lazy umount)', () => {
  it('leaves a mount alive while an fd holds it, with its child disconnected and freed', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt')); // 5
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a')); // 6
    const fd = run.ok(openPath('/mnt'));
    run.ok(umount('/mnt', ['MNT_DETACH']));
    expect(mnt(run, 5)).toMatchObject({ mnt_ns: null, mnt_parent: null, mnt_mountpoint: null, mnt_count: 1, mnt_mounts: [] });
    expect([mnt(run, 6), sb(run, 6)]).toEqual([undefined, undefined]);
    expect(ns(run, 1)?.nr_mounts).toBe(3);
    expect(at(run, `/proc/self/fd/${fd}/a`).mnt).toBe(5); // the child is no longer visible
    run.ok({ type: 'close', task: INIT, fd: fdOf(fd) });
    expect([mnt(run, 5), sb(run, 5)]).toEqual([undefined, undefined]);
    run.sound();
  });
  it('frees an unheld parent while its child lives on, disconnected, through a cwd', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt/a' });
    run.ok(umount('/mnt', ['MNT_DETACH']));
    expect(mnt(run, 5)).toBeUndefined();
    expect(mnt(run, 6)).toMatchObject({ mnt_ns: null, mnt_parent: null, mnt_count: 1 });
    expect(at(run, '..')).toEqual({ mnt: 6, dentry: mnt(run, 6)?.mnt_root }); // ".." stays at a detached root
    run.sound();
  });
});

describe('umount2(2) MNT_EXPIRE', () => {
  it('first marks the mount and fails EAGAIN, then a second call unmounts it', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    expect(run.fails(umount('/mnt', ['MNT_EXPIRE']), 'EAGAIN')).toMatch(/do_umount: MNT_EXPIRE marked/);
    expect(mnt(run, 5)?.mnt_expiry_mark).toBe(true);
    run.sound();
    expect(run.ok(umount('/mnt', ['MNT_EXPIRE']))).toBe(0);
    expect(mnt(run, 5)).toBeUndefined();
    run.sound();
  });
  it('an mntput in between (open and close) clears the mark, so the next call fails EAGAIN again', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.fails(umount('/mnt', ['MNT_EXPIRE']), 'EAGAIN');
    const fd = run.ok(openPath('/mnt'));
    run.ok({ type: 'close', task: INIT, fd: fdOf(fd) });
    expect(mnt(run, 5)?.mnt_expiry_mark).toBe(false);
    run.fails(umount('/mnt', ['MNT_EXPIRE']), 'EAGAIN');
    run.sound();
  });
  it('of a mount held by an fd or with a child fails EBUSY at do_umount: mnt_get_count != 2', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    expect(run.fails(umount('/mnt', ['MNT_EXPIRE']), 'EBUSY')).toMatch(/MNT_EXPIRE on a busy mount/);
    run.ok(openPath('/mnt/a'));
    expect(run.fails(umount('/mnt/a', ['MNT_EXPIRE']), 'EBUSY')).toMatch(/MNT_EXPIRE on a busy mount/);
    run.sound();
  });
  it('with MNT_DETACH or MNT_FORCE, or on the caller\'s root, fails EINVAL before the busy test', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(openPath('/mnt')); // busy, but EINVAL comes first
    expect(run.fails(umount('/mnt', ['MNT_EXPIRE', 'MNT_DETACH']), 'EINVAL')).toMatch(/MNT_EXPIRE with/);
    expect(run.fails(umount('/mnt', ['MNT_EXPIRE', 'MNT_FORCE']), 'EINVAL')).toMatch(/MNT_EXPIRE with/);
    expect(run.fails(umount('/', ['MNT_EXPIRE']), 'EINVAL')).toMatch(/MNT_EXPIRE with root/);
    run.sound();
  });
});

describe('umount2(2) errors', () => {
  it('of a mount with a child, an open fd, a cwd or another task\'s root fails EBUSY at propagate_mount_busy', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    expect(run.fails(umount('/mnt'), 'EBUSY')).toMatch(/do_umount: propagate_mount_busy/);
    const fd = run.ok(openPath('/mnt/a'));
    expect(run.fails(umount('/mnt/a'), 'EBUSY')).toMatch(/propagate_mount_busy/);
    run.ok({ type: 'close', task: INIT, fd: fdOf(fd) });
    run.ok({ type: 'chdir', task: INIT, path: '/mnt/a' });
    expect(run.fails(umount('/mnt/a'), 'EBUSY')).toMatch(/propagate_mount_busy/);
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok({ type: 'chroot', task: CHILD, path: '/mnt/a' });
    expect(run.fails(umount('/mnt/a'), 'EBUSY')).toMatch(/propagate_mount_busy/);
    expect(mnt(run, 6)?.mnt_count).toBe(2); // the tree reference and the child's root
    run.sound();
  });
  it('of a directory that is not a mount root fails EINVAL at can_umount: path_mounted', () => {
    const run = new Run();
    expect(run.fails(umount('/mnt'), 'EINVAL')).toMatch(/can_umount: !path_mounted/);
    run.sound();
  });
  it('of a missing path fails ENOENT at the lookup', () => {
    const run = new Run();
    expect(run.fails(umount('/mnt/none'), 'ENOENT')).toMatch(/lookup/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(umount('/proc', [], task(7)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
  it('unprivileged fails EPERM at can_umount: may_mount, before path_mounted but after the lookup', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(umount('/proc'), 'EPERM')).toMatch(/can_umount: !may_mount\(\)/);
    expect(run.fails(umount('/mnt'), 'EPERM')).toMatch(/may_mount/);
    expect(run.fails(umount('/mnt/none'), 'ENOENT')).toMatch(/lookup/);
    run.sound();
  });
  it('of a mount of another namespace (via /proc/<pid>/root) fails EINVAL at can_umount: check_mnt', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(tmpfs('/mnt', CHILD));
    expect(run.fails(umount('/proc/2/root/mnt'), 'EINVAL')).toMatch(/can_umount: !check_mnt/);
    run.sound();
  });
  it('of a lazily unmounted mount (via /proc/self/fd/N) fails EINVAL at can_umount: check_mnt', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const fd = run.ok(openPath('/mnt'));
    run.ok(umount('/mnt', ['MNT_DETACH']));
    expect(run.fails(umount(`/proc/self/fd/${fd}`), 'EINVAL')).toMatch(/can_umount: !check_mnt/);
    run.sound();
  });
  it('with UMOUNT_NOFOLLOW names the magic link itself (EINVAL at path_mounted); without, its target (EBUSY)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const fd = run.ok(openPath('/mnt'));
    expect(run.fails(umount(`/proc/self/fd/${fd}`, ['UMOUNT_NOFOLLOW']), 'EINVAL')).toMatch(/path_mounted/);
    expect(run.fails(umount(`/proc/self/fd/${fd}`), 'EBUSY')).toMatch(/propagate_mount_busy/);
    run.sound();
  });
  it('of /proc/<pid>/ns/mnt fails EINVAL at path_mounted (an nsfs dentry is no mount root)', () => {
    const run = new Run();
    expect(run.fails(umount('/proc/self/ns/mnt'), 'EINVAL')).toMatch(/path_mounted/);
    run.sound();
  });
  it('of the namespace root (reached after setns) fails EINVAL at do_umount: !mnt_has_parent', () => {
    const run = new Run();
    const fd = run.ok({ type: 'open', task: INIT, path: '/proc/self/ns/mnt', flags: [] });
    run.ok(umount('/', ['MNT_DETACH']));
    run.ok({ type: 'setns', task: INIT, fd: fdOf(fd), nstype: 'CLONE_NEWNS' });
    expect(at(run, '/').mnt).toBe(1); // rootfs, the namespace root
    expect(run.fails(umount('/', ['MNT_DETACH']), 'EINVAL')).toMatch(/do_umount: !mnt_has_parent/);
    run.sound();
  });
});

/** INIT, unprivileged, after unshare(CLONE_NEWUSER|CLONE_NEWNS): namespace 2 owned by user namespace 2,
 * copies 5 (rootfs), 6 ("/", locked) and 7 (/proc, locked) of mounts on superblocks the initial user
 * namespace owns. */
function inUserNs(run: Run = new Run()): Run {
  run.ok(dropCaps);
  run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
  expect([mnt(run, 6)?.flags.locked, mnt(run, 7)?.flags.locked]).toEqual([true, true]);
  return run;
}
const bindTmpOnMnt: Event = { type: 'mount', task: INIT, source: '/tmp', target: '/mnt', fstype: null, flags: ['MS_BIND'] };
const chrootMnt: Event = { type: 'chroot', task: INIT, path: '/mnt' };

describe('umount2(2) in a user namespace', () => {
  it('of a mount locked by the copy fails EINVAL at can_umount: MNT_LOCKED, with MNT_DETACH or MNT_FORCE too', () => {
    const run = inUserNs();
    expect(run.fails(umount('/proc'), 'EINVAL')).toMatch(/can_umount: MNT_LOCKED/);
    expect(run.fails(umount('/proc', ['MNT_DETACH']), 'EINVAL')).toMatch(/can_umount: MNT_LOCKED/);
    expect(run.fails(umount('/proc', ['MNT_FORCE']), 'EINVAL')).toMatch(/can_umount: MNT_LOCKED/);
    // the caller's root is locked too: MNT_LOCKED comes before the own-root case
    expect(run.fails(umount('/'), 'EINVAL')).toMatch(/can_umount: MNT_LOCKED/);
    expect(sb(run, 2)?.sb_rdonly).toBe(false);
    run.sound();
  });
  it('by a task with every capability in its own user namespace fails EPERM at may_mount in a namespace it does not own', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWUSER'] });
    expect(run.state.tasks[CHILD]?.caps.sysAdmin).toBe(true);
    expect(run.fails(umount('/proc', [], CHILD), 'EPERM')).toMatch(/can_umount: !may_mount\(\)/);
    run.sound();
  });
  it('with MNT_FORCE of a mount whose superblock a more privileged user namespace owns fails EPERM at can_umount, before MNT_EXPIRE\'s EINVAL', () => {
    const run = inUserNs();
    run.ok(bindTmpOnMnt); // mount 8, unlocked, on the root tmpfs (superblock 2)
    expect(run.fails(umount('/mnt', ['MNT_FORCE']), 'EPERM')).toMatch(/can_umount: MNT_FORCE && !ns_capable\(sb->s_user_ns/);
    expect(run.fails(umount('/mnt', ['MNT_FORCE', 'MNT_EXPIRE']), 'EPERM')).toMatch(/MNT_FORCE/);
    run.ok(umount('/mnt')); // without MNT_FORCE may_mount() is enough
    expect(mnt(run, 8)).toBeUndefined();
    run.ok(tmpfs('/mnt')); // superblock 5, owned by user namespace 2
    expect(sb(run, 5)?.s_user_ns).toBe(2);
    run.ok(umount('/mnt', ['MNT_FORCE']));
    expect(sb(run, 5)).toBeUndefined();
    run.sound();
  });
  it('of the caller\'s own root on a superblock a more privileged user namespace owns fails EPERM at do_umount; MNT_DETACH unmounts it', () => {
    const run = inUserNs();
    run.ok(bindTmpOnMnt);
    run.ok(chrootMnt);
    expect(fsOf(run, INIT)?.root.mnt).toBe(8);
    expect(run.fails(umount('/'), 'EPERM')).toMatch(/do_umount: !ns_capable\(sb->s_user_ns, CAP_SYS_ADMIN\)/);
    expect(sb(run, 2)?.sb_rdonly).toBe(false);
    run.ok(umount('/', ['MNT_DETACH'])); // no superblock test on the lazy path
    expect(mnt(run, 8)?.mnt_ns).toBeNull();
    run.sound();
  });
  it('of the caller\'s own root on a tmpfs its namespace made remounts that superblock read-only', () => {
    const run = inUserNs();
    run.ok(tmpfs('/mnt'));
    run.ok(chrootMnt);
    expect(run.ok(umount('/'))).toBe(0);
    expect(sb(run, 5)?.sb_rdonly).toBe(true);
    expect(mnt(run, 8)?.mnt_ns).toBe(2);
    run.sound();
  });
});

describe('umount2(2) seeded bug umount-root-skips-capability (K12, CVE-2014-7975)', () => {
  const trace = (run: Run): void => {
    inUserNs(run);
    run.ok(bindTmpOnMnt);
    run.ok(chrootMnt);
  };
  it('the correct model refuses: EPERM, and the root filesystem stays read-write', () => {
    const run = new Run();
    trace(run);
    run.fails(umount('/'), 'EPERM');
    expect(sb(run, 2)?.sb_rdonly).toBe(false);
  });
  it('the broken model lets the unprivileged task make the initial user namespace\'s root filesystem read-only', () => {
    const run = new Run({ bug: 'umount-root-skips-capability' });
    trace(run);
    expect(run.ok(umount('/'))).toBe(0);
    expect(sb(run, 2)).toMatchObject({ sb_rdonly: true, s_user_ns: 1 });
  });
});
