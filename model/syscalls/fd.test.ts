// open(2), close(2) and dup(2) (fs/open.c do_sys_openat2, fs/namei.c do_open, fs/file.c close_fd
// and dup, fs/nsfs.c ns_get_path): the struct file and the references it owns, the nsfs dentry
// stash of /proc/<pid>/ns/mnt, and each errno with the check that returns it.
import { describe, expect, it } from 'vitest';
import type { Event, Fd, TaskId } from '../index.js';
import { dentryId } from '../index.js';
import { INIT, Run, close, fdOf, fdt, file, mnt, ns, open, task } from '../test-helpers.js';

const CHILD = task(2);
const NSFS_MNT = 4;
const TMP_DENTRY = dentryId(5);
const dup = (fd: Fd, actor: TaskId = INIT): Event => ({ type: 'dup', task: actor, fd });

describe('open(2)', () => {
  it('of a directory installs a new struct file on its path at the lowest free fd, with one mount reference', () => {
    const run = new Run();
    expect(run.ok(open('/tmp'))).toBe(3);
    expect(file(run, 1)).toEqual({ kind: 'path', id: 1, f_count: 1, f_path: { mnt: 2, dentry: TMP_DENTRY }, fmodePath: false, needUnmount: false });
    expect(fdt(run)).toEqual({ 3: 1 });
    expect(mnt(run, 2)?.mnt_count).toBe(4);
    run.sound();
  });
  it('with O_PATH marks the file FMODE_PATH and holds the same references', () => {
    const run = new Run();
    run.ok(open('/tmp', ['O_PATH', 'O_DIRECTORY']));
    expect(file(run, 1)).toMatchObject({ fmodePath: true, f_path: { mnt: 2, dentry: TMP_DENTRY } });
    expect(mnt(run, 2)?.mnt_count).toBe(4);
    run.sound();
  });
  it('reuses the lowest fd a close freed', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    run.ok(open('/mnt'));
    run.ok(close(fdOf(3)));
    expect(run.ok(open('/proc'))).toBe(3);
    expect(run.ok(open('/'))).toBe(5);
    run.sound();
  });
  it('of a regular file and of a mount root crossed on the way', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    run.ok(open('/tmp/f'));
    const opened = file(run, 1);
    expect(opened?.kind === 'path' ? run.state.dentries[opened.f_path.dentry]?.kind : opened?.kind).toBe('reg');
    run.ok(open('/proc'));
    expect(file(run, 2)).toMatchObject({ f_path: { mnt: 3 } });
    expect(mnt(run, 3)?.mnt_count).toBe(2);
    run.sound();
  });
  it('of /proc/<pid>/ns/mnt makes the namespace\'s nsfs dentry on the internal nsfs mount, taking a namespace reference', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt'));
    const dentry = ns(run, 1)?.stashed ?? dentryId(0);
    expect(run.state.dentries[dentry]).toMatchObject({ kind: 'nsfs', ns: 1, d_count: 1 });
    expect(file(run, 1)).toMatchObject({ f_path: { mnt: NSFS_MNT, dentry }, fmodePath: false });
    expect(mnt(run, NSFS_MNT)?.mnt_count).toBe(2);
    expect(ns(run, 1)?.count).toBe(2); // INIT and the nsfs inode
    run.sound();
  });
  it('twice of /proc/1/ns/mnt shares the stashed dentry (d_count 2); closing both unstashes it, and a new open makes a new one', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt'));
    run.ok(open('/proc/self/ns/mnt', ['O_PATH']));
    const dentry = ns(run, 1)?.stashed ?? dentryId(0);
    expect([file(run, 1), file(run, 2)]).toMatchObject([{ f_path: { dentry } }, { f_path: { dentry } }]);
    expect(run.state.dentries[dentry]).toMatchObject({ d_count: 2 });
    expect(ns(run, 1)?.count).toBe(2); // one inode, one reference
    run.ok(close(fdOf(3)));
    expect(run.state.dentries[dentry]).toMatchObject({ d_count: 1 });
    run.ok(close(fdOf(4)));
    expect(run.state.dentries[dentry]).toBeUndefined();
    expect(ns(run, 1)).toMatchObject({ stashed: null, count: 1 });
    expect(mnt(run, NSFS_MNT)?.mnt_count).toBe(1);
    run.ok(open('/proc/1/ns/mnt'));
    expect(ns(run, 1)?.stashed).not.toBe(dentry);
    expect(run.state.dentries[ns(run, 1)?.stashed ?? dentryId(0)]).toMatchObject({ d_count: 1 });
    run.sound();
  });
  it('of an nsfs bind mount opens the same dentry through the bind mount', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
    run.ok({ type: 'mknod', task: INIT, path: '/mnt/f' });
    run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] });
    run.ok(open('/mnt/f'));
    const dentry = ns(run, 2)?.stashed ?? dentryId(0);
    expect(file(run, 1)).toMatchObject({ f_path: { mnt: 8, dentry } });
    expect(run.state.dentries[dentry]).toMatchObject({ d_count: 2 }); // the mount root and the file
    expect(mnt(run, 8)?.mnt_count).toBe(2);
    run.sound();
  });
  it('through /proc/<pid>/root reaches a mount of another namespace', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
    run.ok(open('/proc/2/root/tmp'));
    expect(file(run, 1)).toMatchObject({ f_path: { mnt: 6, dentry: TMP_DENTRY } });
    expect(mnt(run, 6)?.mnt_count).toBe(4);
    run.sound();
  });
  it('of a missing path fails ENOENT in the lookup', () => {
    const run = new Run();
    expect(run.fails(open('/tmp/none'), 'ENOENT')).toMatch(/lookup_fast: no such entry/);
    run.sound();
  });
  it('of /proc/<pid>/ns/mnt of a task that exited fails ENOENT at proc_root_lookup', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok({ type: 'exit', task: CHILD });
    expect(run.fails(open('/proc/2/ns/mnt'), 'ENOENT')).toMatch(/proc_root_lookup: no such task/);
    run.sound();
  });
  it('of a procfs directory below /proc fails ENOENT: not modelled', () => {
    const run = new Run();
    expect(run.fails(open('/proc/1/ns', ['O_DIRECTORY']), 'ENOENT')).toMatch(/model: procfs directories/);
    run.sound();
  });
  it('with O_DIRECTORY of a regular file or a namespace file fails ENOTDIR at do_open', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/tmp/f' });
    expect(run.fails(open('/tmp/f', ['O_DIRECTORY']), 'ENOTDIR')).toMatch(/do_open: O_DIRECTORY/);
    expect(run.fails(open('/proc/1/ns/mnt', ['O_PATH', 'O_DIRECTORY']), 'ENOTDIR')).toMatch(/do_open: O_DIRECTORY/);
    run.sound();
  });
  it('with O_NOFOLLOW of a /proc magic link fails ELOOP at may_open, after the O_DIRECTORY check', () => {
    const run = new Run();
    expect(run.fails(open('/proc/1/ns/mnt', ['O_NOFOLLOW']), 'ELOOP')).toMatch(/may_open/);
    expect(run.fails(open('/proc/self/root', ['O_NOFOLLOW']), 'ELOOP')).toMatch(/may_open/);
    expect(run.fails(open('/proc/1/cwd', ['O_NOFOLLOW', 'O_DIRECTORY']), 'ENOTDIR')).toMatch(/do_open/);
    run.ok(open('/proc/1/root/tmp', ['O_NOFOLLOW'])); // only the last component is not followed
    expect(file(run, 1)).toMatchObject({ f_path: { mnt: 2, dentry: TMP_DENTRY } });
    run.ok(open('/proc/1/cwd/', ['O_NOFOLLOW'])); // a trailing slash forces the follow
    expect(file(run, 2)).toMatchObject({ f_path: { mnt: 2 } });
    run.sound();
  });
  it('with O_PATH|O_NOFOLLOW of a magic link fails ENOENT: a file on the link itself is not modelled', () => {
    const run = new Run();
    expect(run.fails(open('/proc/1/ns/mnt', ['O_PATH', 'O_NOFOLLOW']), 'ENOENT')).toMatch(/model: O_PATH files on a \/proc magic link/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(open('/tmp', [], task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('close(2)', () => {
  it('of the last descriptor releases the file and its mount reference', () => {
    const run = new Run();
    run.ok(open('/tmp', ['O_PATH']));
    expect(run.ok(close(fdOf(3)))).toBe(0);
    expect([file(run, 1), fdt(run)]).toEqual([undefined, {}]);
    expect(mnt(run, 2)?.mnt_count).toBe(3);
    run.sound();
  });
  it('of the last reference to a lazily unmounted mount frees it and its superblock', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] });
    run.ok(open('/mnt'));
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(mnt(run, 5)).toMatchObject({ mnt_ns: null, mnt_count: 1 });
    run.ok(close(fdOf(3)));
    expect(mnt(run, 5)).toBeUndefined();
    expect(Object.values(run.state.superBlocks).map((sb) => sb.id)).toEqual([1, 2, 3, 4]);
    run.sound();
  });
  it('of one of two descriptors of a file keeps the file', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    run.ok(dup(fdOf(3)));
    run.ok(close(fdOf(3)));
    expect(file(run, 1)?.f_count).toBe(1);
    expect(fdt(run)).toEqual({ 4: 1 });
    run.sound();
  });
  it('of a closed fd fails EBADF at close_fd', () => {
    const run = new Run();
    expect(run.fails(close(fdOf(3)), 'EBADF')).toMatch(/close_fd: bad file descriptor/);
    run.ok(open('/tmp'));
    run.ok(close(fdOf(3)));
    expect(run.fails(close(fdOf(3)), 'EBADF')).toMatch(/close_fd/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(close(fdOf(3), task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('dup(2)', () => {
  it('shares the struct file under the lowest free fd (f_count 2, no new mount reference)', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    run.ok(open('/mnt'));
    run.ok(close(fdOf(3)));
    expect(run.ok(dup(fdOf(4)))).toBe(3);
    expect(fdt(run)).toEqual({ 3: 2, 4: 2 });
    expect(file(run, 2)?.f_count).toBe(2);
    expect(mnt(run, 2)?.mnt_count).toBe(4);
    run.sound();
  });
  it('accepts an O_PATH fd (fget_raw)', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt', ['O_PATH']));
    expect(run.ok(dup(fdOf(3)))).toBe(4);
    expect(file(run, 1)?.f_count).toBe(2);
    expect(run.state.dentries[ns(run, 1)?.stashed ?? dentryId(0)]).toMatchObject({ d_count: 1 }); // one file
    run.sound();
  });
  it('of a closed fd fails EBADF at fget_raw', () => {
    const run = new Run();
    expect(run.fails(dup(fdOf(3)), 'EBADF')).toMatch(/dup: fget_raw/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(dup(fdOf(3), task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});
