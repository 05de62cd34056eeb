// chdir(2), fchdir(2) and chroot(2): the new cwd or root takes a reference on its mount and the
// old one is dropped; each errno with the check that returns it, the lookup coming before the
// capability test of chroot.
import { describe, expect, it } from 'vitest';
import type { Event, TaskId } from '../index.js';
import { fsStructId, mountId } from '../index.js';
import { INIT, Run, at, fdOf, mntCount, open, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const chdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'chdir', task: actor, path });
const chroot = (path: string, actor: TaskId = INIT): Event => ({ type: 'chroot', task: actor, path });
const fchdir = (fd: number, actor: TaskId = INIT): Event => ({ type: 'fchdir', task: actor, fd: fdOf(fd) });

const fs = (run: Run, id = 1) => run.state.fsStructs[fsStructId(id)];

describe('chdir(2)', () => {
  it('moves the cwd and its reference: the new mount gains one, the old one loses one', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    expect([mntCount(run, 2), mntCount(run, 5)]).toEqual([3, 1]);
    expect(run.ok(chdir('/mnt'))).toBe(0);
    expect(fs(run)?.pwd).toEqual(at(run, '/mnt'));
    expect([mntCount(run, 2), mntCount(run, 5)]).toEqual([2, 2]);
    expect(fs(run)?.root).toEqual(at(run, '/'));
    run.sound();
  });
  it('into another namespace through /proc/<pid>/root, and its ".." climbs that tree', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] }); // copies: 5 (rootfs), 6 (root), 7 (proc)
    run.ok(chdir('/proc/2/root/mnt'));
    expect(fs(run)?.pwd.mnt).toBe(6);
    expect(at(run, '..')).toEqual(at(run, '/', CHILD));
    run.sound();
  });
  it('is shared by the tasks of one fs_struct (CLONE_FS)', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_FS'] });
    run.ok(chdir('/tmp', CHILD));
    expect(fs(run)?.pwd).toEqual(at(run, '/tmp'));
    run.sound();
  });
  it('of a missing path fails ENOENT; of a file ENOTDIR (LOOKUP_DIRECTORY)', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    expect(run.fails(chdir('/tmp/none'), 'ENOENT')).toMatch(/lookup/);
    expect(run.fails(chdir('/tmp/f'), 'ENOTDIR')).toMatch(/chdir: LOOKUP_DIRECTORY on a non-directory/);
    run.sound();
  });
  it('of /proc/<pid>/ns/mnt fails ENOTDIR: an nsfs file is not a directory', () => {
    const run = new Run();
    expect(run.fails(chdir('/proc/self/ns/mnt'), 'ENOTDIR')).toMatch(/chdir: nsfs file/);
    run.sound();
  });
  it('into a procfs directory below /proc fails ENOENT (not modelled)', () => {
    const run = new Run();
    expect(run.fails(chdir('/proc/self'), 'ENOENT')).toMatch(/not modelled/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(chdir('/', task(4)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('fchdir(2)', () => {
  it('moves the cwd onto an O_PATH descriptor (fdget_raw), even one on a lazily unmounted mount', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const fd = run.ok(open('/mnt', ['O_PATH']));
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(run.ok(fchdir(fd))).toBe(0);
    expect(fs(run)?.pwd.mnt).toBe(5);
    expect(mntCount(run, 5)).toBe(2); // the file and the cwd
    run.ok({ type: 'close', task: INIT, fd: fdOf(fd) });
    expect(mntCount(run, 5)).toBe(1);
    run.sound();
  });
  it('of a closed descriptor fails EBADF', () => {
    const run = new Run();
    expect(run.fails(fchdir(3), 'EBADF')).toMatch(/fchdir: bad file descriptor/);
    run.sound();
  });
  it('onto a regular file, an nsfs file or a socket fails ENOTDIR at !d_can_lookup', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    const file = run.ok(open('/tmp/f'));
    const nsfs = run.ok(open('/proc/self/ns/mnt'));
    run.ok({ type: 'socketpair', task: INIT });
    for (const fd of [file, nsfs, nsfs + 1]) {
      expect(run.fails(fchdir(fd), 'ENOTDIR')).toMatch(/fchdir: !d_can_lookup/);
    }
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(fchdir(3, task(4)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('chroot(2)', () => {
  it('moves the root and its reference and leaves the cwd where it was', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const pwd = fs(run)?.pwd;
    expect(run.ok(chroot('/mnt'))).toBe(0);
    expect(fs(run)?.root).toEqual({ mnt: 5, dentry: run.state.mounts[mountId(5)]?.mnt_root });
    expect(fs(run)?.pwd).toEqual(pwd);
    expect([mntCount(run, 2), mntCount(run, 5)]).toEqual([2, 2]);
    expect(at(run, '/')).toEqual(fs(run)?.root);
    run.sound();
  });
  it('confines "..": at the new root it stays, and "/proc" is no longer reachable', () => {
    const run = new Run();
    run.ok({ type: 'mkdir', task: INIT, path: '/mnt/a' });
    run.ok(chroot('/mnt'));
    expect(at(run, '/..')).toEqual(at(run, '/'));
    expect(at(run, '/a/../..')).toEqual(at(run, '/'));
    run.fails(chdir('/proc'), 'ENOENT');
    run.sound();
  });
  it('into a mount of another namespace through /proc/<pid>/root', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
    run.ok(chroot('/proc/2/root'));
    expect(fs(run)?.root).toEqual(fs(run, 2)?.root);
    run.sound();
  });
  it('without CAP_SYS_CHROOT fails EPERM at chroot: !ns_capable', () => {
    const run = new Run();
    run.ok({ type: 'capset', task: INIT, effective: ['CAP_SYS_ADMIN'] });
    expect(run.fails(chroot('/mnt'), 'EPERM')).toMatch(/chroot: !ns_capable\(CAP_SYS_CHROOT\)/);
    run.sound();
  });
  it('without CAP_SYS_CHROOT still gets ENOENT or ENOTDIR first: the lookup precedes the capability test', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    run.ok({ type: 'capset', task: INIT, effective: [] });
    expect(run.fails(chroot('/tmp/none'), 'ENOENT')).toMatch(/lookup/);
    expect(run.fails(chroot('/tmp/f'), 'ENOTDIR')).toMatch(/chroot: LOOKUP_DIRECTORY/);
    expect(run.fails(chroot('/proc/self/ns/mnt'), 'ENOTDIR')).toMatch(/chroot: nsfs file/);
    run.sound();
  });
});
