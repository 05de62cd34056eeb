// clone(2) and unshare(2) with CLONE_NEWUSER, CLONE_NEWNS, CLONE_FS and CLONE_FILES: what the new
// task shares or copies (kernel/fork.c copy_process, copy_fs, copy_files; ksys_unshare, unshare_fs,
// unshare_fd), the user namespace (kernel/user_namespace.c create_user_ns), the namespace copy
// (fs/namespace.c copy_mnt_ns), and each errno with the check that returns it.
import { describe, expect, it } from 'vitest';
import type { CloneFlag, Event, TaskId } from '../index.js';
import { dentryId, fileId, filesStructId, userNsId } from '../index.js';
import { INIT, Run, at, clone, dropCaps, fdOf, fsOf, mnt, ns, sb, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const ROOT_DENTRY = dentryId(2); // "/" of the real root tmpfs (mount 2)
const unshare = (flags: CloneFlag[], actor: TaskId = INIT): Event => ({ type: 'unshare', task: actor, flags });
const filesOf = (run: Run, pid: TaskId) => run.state.filesStructs[run.state.tasks[pid]?.files ?? filesStructId(0)];
const userNs = (run: Run, id: number) => run.state.userNamespaces[userNsId(id)];
const FULL_CAPS = { sysAdmin: true, sysChroot: true };
const NO_CAPS = { sysAdmin: false, sysChroot: false };
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

describe('clone(2) with CLONE_NEWUSER', () => {
  it('gives the child a new user namespace, child of the parent\'s, with every capability; the mount namespace is shared', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.ok(clone(['CLONE_NEWUSER']))).toBe(2);
    expect(userNs(run, 2)).toEqual({ id: 2, parent: 1 });
    expect(run.state.next.userNs).toBe(3);
    expect(run.state.tasks[CHILD]).toMatchObject({ userNs: 2, mntNs: 1, caps: FULL_CAPS });
    expect(run.state.tasks[INIT]).toMatchObject({ userNs: 1, caps: NO_CAPS });
    expect(ns(run, 1)?.count).toBe(2);
    run.sound();
  });
  it('with CLONE_NEWNS by an unprivileged parent copies the tree into a namespace the new user namespace owns, locked', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: ['MS_RDONLY', 'MS_NOSUID'] });
    run.ok(dropCaps);
    run.ok(clone(['CLONE_NEWUSER', 'CLONE_NEWNS'])); // namespace 2: copies 6 (rootfs), 7 ("/"), 8 (/proc), 9 (/mnt)
    expect(run.state.tasks[CHILD]).toMatchObject({ userNs: 2, mntNs: 2, caps: FULL_CAPS });
    expect(ns(run, 2)).toMatchObject({ user_ns: 2, root: 6 });
    expect(mountsIn(run, 2)).toEqual([6, 7, 8, 9]);
    // lock_mnt_tree(): every copy but the root MNT_LOCKED, every flag set locked
    expect([6, 7, 8, 9].map((id) => mnt(run, id)?.flags.locked)).toEqual([false, true, true, true]);
    expect(mnt(run, 9)?.flags).toMatchObject({ readonly: true, nosuid: true, lockReadonly: true, lockNosuid: true, lockNodev: false });
    expect(mnt(run, 5)?.flags).toMatchObject({ locked: false, lockReadonly: false }); // the original is untouched
    run.ok(tmpfs('/tmp', CHILD)); // may_mount(): the child owns its namespace's user namespace
    expect(mnt(run, 10)?.mnt_ns).toBe(2);
    expect(sb(run, mnt(run, 10)?.mnt_sb ?? 0)?.s_user_ns).toBe(2);
    run.sound();
  });
  it('with CLONE_FS fails EINVAL at copy_process; with CLONE_NEWNS too the CLONE_NEWNS test comes first', () => {
    const run = new Run();
    expect(run.fails(clone(['CLONE_NEWUSER', 'CLONE_FS']), 'EINVAL')).toMatch(/copy_process: CLONE_NEWUSER with CLONE_FS/);
    expect(run.fails(clone(['CLONE_NEWUSER', 'CLONE_NEWNS', 'CLONE_FS']), 'EINVAL')).toMatch(/CLONE_NEWNS with CLONE_FS/);
    run.sound();
  });
  it('by a chrooted parent fails EPERM at create_user_ns: current_chrooted, before the capability check', () => {
    const run = new Run();
    run.ok({ type: 'chroot', task: INIT, path: '/tmp' });
    expect(run.fails(clone(['CLONE_NEWUSER']), 'EPERM')).toMatch(/create_user_ns: current_chrooted/);
    run.ok(dropCaps);
    expect(run.fails(clone(['CLONE_NEWUSER', 'CLONE_NEWNS']), 'EPERM')).toMatch(/create_user_ns: current_chrooted/);
    expect(run.fails(clone(['CLONE_NEWNS']), 'EPERM')).toMatch(/copy_namespaces/);
    run.sound();
  });
  it('by a parent whose root is covered by a mount fails EPERM: current_chrooted compares with the topmost mount on the namespace root', () => {
    const run = new Run();
    run.ok(tmpfs('/')); // mount 5 on "/"; INIT's root stays on mount 2
    expect(fsOf(run, INIT)?.root.mnt).toBe(2);
    expect(run.fails(clone(['CLONE_NEWUSER']), 'EPERM')).toMatch(/current_chrooted/);
    run.sound();
  });
});

describe('unshare(2) with CLONE_NEWUSER', () => {
  it('moves the task into a new user namespace with every capability and keeps its mount namespace and fs_struct', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.ok(unshare(['CLONE_NEWUSER']))).toBe(0);
    expect(userNs(run, 2)).toEqual({ id: 2, parent: 1 });
    expect(run.state.tasks[INIT]).toMatchObject({ userNs: 2, mntNs: 1, fs: 1, caps: FULL_CAPS });
    // the mount namespace is still owned by the initial user namespace: no mount rights there
    expect(run.fails({ type: 'umount2', task: INIT, target: '/proc', flags: [] }, 'EPERM')).toMatch(/may_mount/);
    run.sound();
  });
  it('with an fs_struct shared through CLONE_FS succeeds and copies it (the implied CLONE_FS: unshare_fs)', () => {
    const run = new Run();
    run.ok(clone(['CLONE_FS']));
    run.ok(unshare(['CLONE_NEWUSER'], CHILD));
    expect(run.state.tasks[CHILD]).toMatchObject({ fs: 2, userNs: 2 });
    expect([fsOf(run, INIT)?.users, fsOf(run, CHILD)?.users]).toEqual([1, 1]);
    run.sound();
  });
  it('with CLONE_NEWNS by an unprivileged task creates the user namespace first, which owns the locked copy', () => {
    const run = new Run();
    run.ok(dropCaps);
    run.ok(unshare(['CLONE_NEWUSER', 'CLONE_NEWNS']));
    expect(run.state.tasks[INIT]).toMatchObject({ userNs: 2, mntNs: 2, caps: FULL_CAPS });
    expect(ns(run, 1)).toBeUndefined();
    expect(ns(run, 2)?.user_ns).toBe(2);
    expect([5, 6, 7].map((id) => mnt(run, id)?.flags.locked)).toEqual([false, true, true]);
    expect(fsOf(run, INIT)?.root.mnt).toBe(6);
    run.sound();
  });
  it('then CLONE_NEWNS alone copies with the current user namespace as owner (ns_capable(current_user_ns()))', () => {
    const run = new Run();
    run.ok(dropCaps);
    run.ok(unshare(['CLONE_NEWUSER']));
    run.ok(unshare(['CLONE_NEWNS']));
    expect(ns(run, 2)?.user_ns).toBe(2);
    expect(mnt(run, 6)?.flags.locked).toBe(true);
    run.sound();
  });
  it('by a chrooted task fails EPERM at create_user_ns, before unshare_nsproxy_namespaces', () => {
    const run = new Run();
    run.ok({ type: 'chroot', task: INIT, path: '/tmp' });
    run.ok(dropCaps);
    expect(run.fails(unshare(['CLONE_NEWUSER']), 'EPERM')).toMatch(/create_user_ns: current_chrooted/);
    expect(run.fails(unshare(['CLONE_NEWUSER', 'CLONE_NEWNS']), 'EPERM')).toMatch(/create_user_ns: current_chrooted/);
    expect(run.fails(unshare(['CLONE_NEWNS']), 'EPERM')).toMatch(/unshare_nsproxy_namespaces/);
    run.sound();
  });
  it('nests 33 deep; the 34th fails ENOSPC at create_user_ns: parent_ns->level > 32', () => {
    const run = new Run();
    for (let level = 1; level <= 33; level++) run.ok(unshare(['CLONE_NEWUSER']));
    expect(run.state.tasks[INIT]?.userNs).toBe(34);
    expect(run.fails(unshare(['CLONE_NEWUSER']), 'ENOSPC')).toMatch(/create_user_ns: parent_ns->level > 32/);
    expect(run.fails(clone(['CLONE_NEWUSER']), 'ENOSPC')).toMatch(/level > 32/);
    run.ok(unshare(['CLONE_NEWNS'])); // the deepest user namespace still owns a mount namespace
    expect(ns(run, 2)?.user_ns).toBe(34);
    run.sound();
  });
  it('by a task chrooted back to the top of the namespace root is not chrooted (path_equal)', () => {
    const run = new Run();
    const root = at(run, '/');
    run.ok({ type: 'open', task: INIT, path: '/', flags: ['O_PATH'] }); // fd 3
    run.ok({ type: 'chroot', task: INIT, path: '/tmp' });
    run.fails(unshare(['CLONE_NEWUSER']), 'EPERM');
    run.ok({ type: 'fchdir', task: INIT, fd: fdOf(3) });
    run.ok({ type: 'chroot', task: INIT, path: '.' });
    expect(fsOf(run, INIT)?.root).toEqual(root);
    run.ok(unshare(['CLONE_NEWUSER']));
    run.sound();
  });
});
