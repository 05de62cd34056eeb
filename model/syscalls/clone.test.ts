// clone(2) and unshare(2) with CLONE_NEWNS, CLONE_FS and CLONE_FILES: what the new task shares or
// copies (kernel/fork.c copy_process, copy_fs, copy_files; ksys_unshare, unshare_fs, unshare_fd),
// the namespace copy (fs/namespace.c copy_mnt_ns), and each errno with the check that returns it.
import { describe, expect, it } from 'vitest';
import type { CloneFlag, Event, TaskId } from '../index.js';
import { dentryId, fileId, filesStructId } from '../index.js';
import { INIT, Run, clone, dropCaps, fdOf, fsOf, mnt, ns, task } from '../test-helpers.js';

const CHILD = task(2);
const ROOT_DENTRY = dentryId(2); // "/" of the real root tmpfs (mount 2)
const unshare = (flags: CloneFlag[], actor: TaskId = INIT): Event => ({ type: 'unshare', task: actor, flags });
const filesOf = (run: Run, pid: TaskId) => run.state.filesStructs[run.state.tasks[pid]?.files ?? filesStructId(0)];
const mountsIn = (run: Run, id: number) =>
  Object.values(run.state.mounts).filter((mount) => mount.mnt_ns === id).map((mount) => mount.id);

/** Task 2 in a namespace (2, seq 2) whose nsfs file INIT binds on /mnt/f: mount 8 in namespace 1. */
function withNsfsBind(): Run {
  const run = new Run();
  run.ok(clone(['CLONE_NEWNS'])); // task 2, namespace 2, mounts 5-7
  run.ok({ type: 'mknod', task: INIT, path: '/mnt/f' });
  run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] });
  expect(mnt(run, 8)?.mnt_ns).toBe(1);
  return run;
}

describe('clone(2)', () => {
  it('without flags gives the child a copy of the fs_struct and fd table and shares the namespace', () => {
    const run = new Run();
    expect(run.ok({ type: 'open', task: INIT, path: '/tmp', flags: [] })).toBe(3);
    expect(run.ok(clone([]))).toBe(2);
    const child = run.state.tasks[CHILD];
    expect(child?.mntNs).toBe(1);
    expect(ns(run, 1)?.count).toBe(2); // one nsproxy reference per task
    expect(child?.fs).not.toBe(run.state.tasks[INIT]?.fs);
    expect(fsOf(run, CHILD)).toMatchObject({ users: 1, root: { mnt: 2, dentry: ROOT_DENTRY }, pwd: { mnt: 2 } });
    expect(child?.files).not.toBe(run.state.tasks[INIT]?.files);
    expect(filesOf(run, CHILD)).toMatchObject({ count: 1, fdt: { 3: 1 } });
    expect(run.state.files[fileId(1)]?.f_count).toBe(2); // dup_fd: one more reference per file
    // tree + INIT's root and pwd + the file + the child's root and pwd (copy_fs_struct)
    expect(mnt(run, 2)?.mnt_count).toBe(6);
    expect(child?.caps).toEqual({ sysAdmin: true, sysChroot: true });
    run.sound();
  });
  it('with CLONE_FS shares the fs_struct (users 2): a chdir by the child moves the parent too', () => {
    const run = new Run();
    run.ok(clone(['CLONE_FS']));
    expect(run.state.tasks[CHILD]?.fs).toBe(run.state.tasks[INIT]?.fs);
    expect(fsOf(run, INIT)?.users).toBe(2);
    expect(mnt(run, 2)?.mnt_count).toBe(3); // no new root or pwd references
    run.ok({ type: 'chdir', task: CHILD, path: '/tmp' });
    expect(fsOf(run, INIT)?.pwd).toEqual(fsOf(run, CHILD)?.pwd);
    expect(fsOf(run, INIT)?.pwd.dentry).not.toBe(ROOT_DENTRY);
    run.sound();
  });
  it('with CLONE_FILES shares the fd table (count 2): an fd opened by the child is the parent\'s too', () => {
    const run = new Run();
    run.ok({ type: 'open', task: INIT, path: '/tmp', flags: [] });
    run.ok(clone(['CLONE_FILES']));
    expect(run.state.tasks[CHILD]?.files).toBe(run.state.tasks[INIT]?.files);
    expect(filesOf(run, INIT)?.count).toBe(2);
    expect(run.state.files[fileId(1)]?.f_count).toBe(1); // the table is shared, not copied
    expect(run.ok({ type: 'open', task: CHILD, path: '/mnt', flags: [] })).toBe(4);
    expect(filesOf(run, INIT)?.fdt).toEqual({ 3: 1, 4: 2 });
    run.sound();
  });
  it('with CLONE_NEWNS copies the tree into a new namespace and moves the child\'s root and cwd onto the copy', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWNS']));
    expect(run.state.tasks[CHILD]?.mntNs).toBe(2);
    expect(ns(run, 2)).toMatchObject({ seq: 2, count: 1, nr_mounts: 3, root: 5, anon: false });
    expect(ns(run, 1)?.count).toBe(1); // the child holds no reference on the parent's namespace
    expect(mountsIn(run, 2)).toEqual([5, 6, 7]);
    expect([mnt(run, 5)?.mnt_parent, mnt(run, 6)?.mnt_parent, mnt(run, 7)?.mnt_parent]).toEqual([null, 5, 6]);
    expect([mnt(run, 6)?.mnt_sb, mnt(run, 7)?.mnt_sb]).toEqual([2, 3]); // copies share the superblocks
    expect(fsOf(run, CHILD)).toMatchObject({ root: { mnt: 6, dentry: ROOT_DENTRY }, pwd: { mnt: 6, dentry: ROOT_DENTRY } });
    expect(mnt(run, 6)?.mnt_count).toBe(3); // tree + the child's root and pwd
    expect(mnt(run, 2)?.mnt_count).toBe(3); // the references copy_fs_struct took were moved off
    run.sound();
  });
  it('with CLONE_NEWNS drops nsfs bind mounts from the copy (copy_tree without CL_COPY_MNT_NS_FILE)', () => {
    const run = withNsfsBind();
    const dentry = mnt(run, 8)?.mnt_root ?? dentryId(0);
    run.ok(clone(['CLONE_NEWNS'])); // task 3, namespace 3
    expect(mountsIn(run, 3)).toEqual([9, 10, 11]);
    expect(Object.values(run.state.mounts).filter((mount) => mount.mnt_root === dentry).map((m) => m.id)).toEqual([8]);
    expect(run.state.dentries[dentry]).toMatchObject({ kind: 'nsfs', d_count: 1 });
    run.sound();
  });
  it('with CLONE_NEWNS leaves a cwd on a detached mount where it is', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] });
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    run.ok(clone(['CLONE_NEWNS']));
    expect(fsOf(run, CHILD)?.pwd.mnt).toBe(5);
    expect(fsOf(run, CHILD)?.root.mnt).toBe(7); // the copy of mount 2
    expect(mnt(run, 5)?.mnt_count).toBe(2); // INIT's cwd and the child's
    run.sound();
  });
  it('by an unprivileged task gives a child with the same reduced capabilities', () => {
    const run = new Run();
    run.ok(dropCaps);
    run.ok(clone([]));
    expect(run.state.tasks[CHILD]?.caps).toEqual({ sysAdmin: false, sysChroot: false });
    run.sound();
  });
  it('with CLONE_NEWNS and CLONE_FS fails EINVAL at copy_process, before the capability check', () => {
    const run = new Run();
    expect(run.fails(clone(['CLONE_NEWNS', 'CLONE_FS']), 'EINVAL')).toMatch(/copy_process: CLONE_NEWNS with CLONE_FS/);
    run.ok(dropCaps);
    expect(run.fails(clone(['CLONE_NEWNS', 'CLONE_FS']), 'EINVAL')).toMatch(/copy_process/);
    run.sound();
  });
  it('with CLONE_NEWNS without CAP_SYS_ADMIN fails EPERM at copy_namespaces', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(clone(['CLONE_NEWNS']), 'EPERM')).toMatch(/copy_namespaces: !ns_capable/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(clone([], task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('unshare(2)', () => {
  it('CLONE_NEWNS by the last task of a namespace moves it to a copy and tears the old one down', () => {
    const run = new Run();
    expect(run.ok(unshare(['CLONE_NEWNS']))).toBe(0);
    expect(run.state.tasks[INIT]?.mntNs).toBe(2);
    expect(ns(run, 1)).toBeUndefined();
    expect([mnt(run, 1), mnt(run, 2), mnt(run, 3)]).toEqual([undefined, undefined, undefined]);
    expect(mountsIn(run, 2)).toEqual([5, 6, 7]);
    expect(run.state.tasks[INIT]?.fs).toBe(1); // unshare_fs: a private fs_struct is used in place
    expect(fsOf(run, INIT)).toMatchObject({ users: 1, root: { mnt: 6 }, pwd: { mnt: 6 } });
    expect(mnt(run, 6)?.mnt_count).toBe(3);
    run.sound();
  });
  it('CLONE_NEWNS leaves the old namespace to the tasks still in it', () => {
    const run = new Run();
    run.ok(clone([]));
    run.ok(unshare(['CLONE_NEWNS']));
    expect(ns(run, 1)?.count).toBe(1);
    expect(mnt(run, 2)?.mnt_count).toBe(3); // tree + the child's root and pwd
    expect(ns(run, 2)?.count).toBe(1);
    run.sound();
  });
  it('CLONE_NEWNS drops nsfs bind mounts from the copy, and the old namespace takes them down with it', () => {
    const run = withNsfsBind();
    const dentry = mnt(run, 8)?.mnt_root ?? dentryId(0);
    expect(ns(run, 2)?.count).toBe(2); // task 2 and the nsfs inode
    run.ok(unshare(['CLONE_NEWNS'])); // namespace 1 dies: its only task left it
    expect(mountsIn(run, 3)).toEqual([9, 10, 11]);
    expect([ns(run, 1), mnt(run, 8), run.state.dentries[dentry]]).toEqual([undefined, undefined, undefined]);
    expect(ns(run, 2)).toMatchObject({ count: 1, stashed: null });
    run.sound();
  });
  it('CLONE_NEWNS with an fs_struct shared through CLONE_FS copies the fs_struct first (unshare_fs)', () => {
    const run = new Run();
    run.ok(clone(['CLONE_FS']));
    run.ok(unshare(['CLONE_NEWNS']));
    expect(run.state.tasks[INIT]?.fs).toBe(2);
    expect(fsOf(run, INIT)).toMatchObject({ users: 1, root: { mnt: 6 }, pwd: { mnt: 6 } });
    expect(fsOf(run, CHILD)).toMatchObject({ id: 1, users: 1, root: { mnt: 2 }, pwd: { mnt: 2 } });
    expect(mnt(run, 2)?.mnt_count).toBe(3);
    run.sound();
  });
  it('CLONE_FS separates a shared fs_struct, and is a no-op on a private one', () => {
    const run = new Run();
    const before = run.state;
    run.ok(unshare(['CLONE_FS']));
    expect(run.state).toBe(before);
    run.ok(clone(['CLONE_FS']));
    run.ok(unshare(['CLONE_FS'], CHILD));
    expect([fsOf(run, INIT)?.users, fsOf(run, CHILD)?.users]).toEqual([1, 1]);
    expect(run.state.tasks[CHILD]?.fs).toBe(2);
    run.ok({ type: 'chdir', task: CHILD, path: '/tmp' });
    expect(fsOf(run, INIT)?.pwd.dentry).toBe(ROOT_DENTRY);
    expect(mnt(run, 2)?.mnt_count).toBe(5);
    run.sound();
  });
  it('CLONE_FILES separates a shared fd table (unshare_fd: one more reference per file)', () => {
    const run = new Run();
    run.ok({ type: 'open', task: INIT, path: '/tmp', flags: [] });
    run.ok(clone(['CLONE_FILES']));
    run.ok(unshare(['CLONE_FILES'], CHILD));
    expect([filesOf(run, INIT)?.count, filesOf(run, CHILD)?.count]).toEqual([1, 1]);
    expect(filesOf(run, CHILD)).toMatchObject({ id: 2, fdt: { 3: 1 } });
    expect(run.state.files[fileId(1)]?.f_count).toBe(2);
    run.ok({ type: 'close', task: CHILD, fd: fdOf(3) });
    expect(filesOf(run, INIT)?.fdt).toEqual({ 3: 1 });
    run.sound();
  });
  it('CLONE_NEWNS without CAP_SYS_ADMIN fails EPERM at unshare_nsproxy_namespaces', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(unshare(['CLONE_NEWNS']), 'EPERM')).toMatch(/unshare_nsproxy_namespaces: !ns_capable/);
    run.ok(unshare(['CLONE_FS', 'CLONE_FILES'])); // no namespace: no capability needed
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(unshare(['CLONE_NEWNS'], task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});
