// mount(2): new tmpfs and procfs mounts (do_new_mount, do_add_mount) and bind mounts
// (do_loopback, __do_loopback), each success path with its exact effect on the mount tree and
// each errno with the kernel check that returns it, including the order of the checks.
import { describe, expect, it } from 'vitest';
import type { DentryId, Event, TaskId } from '../index.js';
import { INIT, Run, at, bind, cloneNewns, mkdir, mknod, mnt, ns, sb, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const newMount = (target: string, fstype: string | null, actor: TaskId = INIT): Event =>
  ({ type: 'mount', task: actor, source: 'none', target, fstype, flags: [] });
const rbind = (source: string, target: string): Event => bind(source, target, INIT, ['MS_BIND', 'MS_REC']);

const dentry = (run: Run, id: DentryId | null | undefined) => (id == null ? undefined : run.state.dentries[id]);
const mountpoint = (run: Run, id: DentryId | null | undefined) => (id == null ? undefined : run.state.mountpoints[id]);

describe('mount(2) of a new filesystem (do_new_mount, do_add_mount)', () => {
  it('mounts a tmpfs on /mnt: a new superblock and a mount attached on the /mnt dentry', () => {
    const run = new Run();
    const dir = at(run, '/mnt');
    expect(run.ok(tmpfs('/mnt'))).toBe(0);
    expect(mnt(run, 5)).toMatchObject({ mnt_parent: 2, mnt_mountpoint: dir.dentry, mnt_sb: 5, mnt_ns: 1, mnt_count: 1, mnt_mounts: [] });
    expect(sb(run, 5)).toMatchObject({ s_type: 'tmpfs', s_active: 1, s_root: mnt(run, 5)?.mnt_root });
    expect(mnt(run, 2)?.mnt_mounts).toEqual([3, 5]);
    expect(run.state.mountpoints[dir.dentry]).toEqual({ m_dentry: dir.dentry, m_count: 1 });
    expect(ns(run, 1)?.nr_mounts).toBe(4);
    expect(at(run, '/mnt')).toEqual({ mnt: 5, dentry: mnt(run, 5)?.mnt_root });
    run.sound();
  });
  it('a second mount on the same place stacks on the root of the first (lock_mount follows to the top)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(tmpfs('/mnt'));
    const lower = mnt(run, 5)?.mnt_root;
    expect(mnt(run, 6)).toMatchObject({ mnt_parent: 5, mnt_mountpoint: lower });
    expect(mnt(run, 2)?.mnt_mounts).toEqual([3, 5]);
    expect(mountpoint(run, lower)?.m_count).toBe(1);
    expect(at(run, '/mnt').mnt).toBe(6);
    run.sound();
  });
  it('a mount on "/" stacks on the root mount; "/" still resolves to the old root, "/.." to the new mount', () => {
    const run = new Run();
    const root = at(run, '/');
    run.ok(tmpfs('/'));
    expect(mnt(run, 5)).toMatchObject({ mnt_parent: 2, mnt_mountpoint: root.dentry });
    expect(at(run, '/')).toEqual(root);
    expect(at(run, '/mnt').mnt).toBe(2);
    expect(at(run, '/..')).toEqual({ mnt: 5, dentry: mnt(run, 5)?.mnt_root });
    run.sound();
  });
  it('a procfs mount is a new procfs instance: its own superblock (get_tree_nodev), owned by the pid namespace owner', () => {
    const run = new Run();
    run.ok(newMount('/mnt', 'proc'));
    const mount = mnt(run, 5);
    expect(mount).toMatchObject({ mnt_parent: 2 });
    expect(mount?.mnt_sb).not.toBe(3);
    const procSb = sb(run, mount?.mnt_sb as number);
    expect(procSb).toMatchObject({ s_type: 'proc', s_active: 1, s_user_ns: run.state.superBlocks[3 as never]?.s_user_ns });
    expect(mount?.mnt_root).toBe(procSb?.s_root);
    expect(sb(run, 3)?.s_active).toBe(1);
    run.sound();
  });
  it('procfs on top of a tmpfs covering /proc is allowed', () => {
    const run = new Run();
    run.ok(tmpfs('/proc'));
    run.ok(newMount('/proc', 'proc'));
    expect(mnt(run, 6)).toMatchObject({ mnt_parent: 5 });
    expect(sb(run, mnt(run, 6)?.mnt_sb as number)?.s_type).toBe('proc');
    run.sound();
  });
  it('without a filesystem type fails EINVAL at do_new_mount: !fstype', () => {
    const run = new Run();
    expect(run.fails(newMount('/mnt', null), 'EINVAL')).toMatch(/do_new_mount: no fstype/);
    expect(run.fails(newMount('/mnt', ''), 'ENODEV')).toMatch(/get_fs_type/); // "" is a type name, not NULL
    run.sound();
  });
  it('of an unknown filesystem type fails ENODEV at get_fs_type', () => {
    const run = new Run();
    expect(run.fails(newMount('/mnt', 'ext4'), 'ENODEV')).toMatch(/get_fs_type/);
    run.sound();
  });
  it('of procfs on /proc stacks a new procfs instance: every mount gets its own superblock (get_tree_nodev)', () => {
    const run = new Run();
    const bootProc = Object.values(run.state.mounts).find((mount) => run.state.superBlocks[mount.mnt_sb]?.s_type === 'proc');
    run.ok(newMount('/proc', 'proc'));
    run.ok(newMount('/proc', 'proc'));
    const procSbs = new Set(Object.values(run.state.mounts).filter((mount) => run.state.superBlocks[mount.mnt_sb]?.s_type === 'proc').map((mount) => mount.mnt_sb));
    expect(procSbs.size).toBe(3);
    expect(procSbs.has(bootProc?.mnt_sb as never)).toBe(true);
    run.sound();
  });
  it('of procfs fails EPERM at mount_capable without CAP_SYS_ADMIN over the pid namespace owner, even where may_mount passes', () => {
    const run = new Run();
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
    expect(run.fails(newMount('/mnt', 'proc'), 'EPERM')).toBe('do_new_mount: !mount_capable(fc)');
    run.ok(newMount('/mnt', 'tmpfs'));
    run.sound();
  });
  it('onto a regular file fails ENOTDIR at graft_tree', () => {
    const run = new Run();
    run.ok(mknod('/mnt/f'));
    expect(run.fails(tmpfs('/mnt/f'), 'ENOTDIR')).toMatch(/graft_tree/);
    run.sound();
  });
  it('onto a missing target fails ENOENT at the target lookup', () => {
    const run = new Run();
    expect(run.fails(tmpfs('/mnt/none'), 'ENOENT')).toMatch(/lookup/);
    run.sound();
  });
  it('onto a lazily unmounted mount (reached through the cwd) fails ENOENT at lock_mount', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(run.fails(tmpfs('.'), 'ENOENT')).toMatch(/lock_mount: target mount is not mounted/);
    run.sound();
  });
  it('onto a removed directory (the cwd) fails ENOENT at lock_mount: cant_mount', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt/a' });
    run.ok({ type: 'rmdir', task: INIT, path: '/mnt/a' });
    expect(run.fails(tmpfs('.'), 'ENOENT')).toMatch(/lock_mount: cant_mount/);
    run.sound();
  });
  it('onto /proc/<pid>/ns/mnt fails ENOENT at lock_mount: the internal nsfs mount is in no namespace', () => {
    const run = new Run();
    expect(run.fails(tmpfs('/proc/self/ns/mnt'), 'ENOENT')).toMatch(/lock_mount/);
    expect(run.fails(tmpfs('/proc/self'), 'ENOENT')).toMatch(/not modelled/); // a procfs directory
    run.sound();
  });
  it('onto a directory of another namespace (via /proc/<pid>/root) fails EINVAL at do_add_mount: !check_mnt', () => {
    const run = new Run();
    run.ok(cloneNewns());
    expect(run.fails(tmpfs('/proc/2/root/mnt'), 'EINVAL')).toMatch(/do_add_mount: !check_mnt/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(tmpfs('/mnt', task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
  it('unprivileged fails EPERM at path_mount: !may_mount()', () => {
    const run = new Run();
    run.ok({ type: 'capset', task: INIT, effective: [] });
    expect(run.fails(tmpfs('/mnt'), 'EPERM')).toMatch(/path_mount: !may_mount\(\)/);
    run.sound();
  });
  it('unprivileged onto a missing target gets ENOENT, not EPERM: do_mount resolves the target first', () => {
    const run = new Run();
    run.ok({ type: 'capset', task: INIT, effective: [] });
    expect(run.fails(tmpfs('/mnt/none'), 'ENOENT')).toMatch(/lookup/);
    run.sound();
  });
  it('of an unknown type onto a file gets ENODEV, not ENOTDIR: get_fs_type comes before graft_tree', () => {
    const run = new Run();
    run.ok(mknod('/mnt/f'));
    expect(run.fails(newMount('/mnt/f', 'ext4'), 'ENODEV')).toMatch(/get_fs_type/);
    run.sound();
  });
});

describe('mount(2) MS_BIND and MS_BIND|MS_REC (do_loopback)', () => {
  it('binds a subdirectory: a new mount of the same superblock whose mnt_root is that dentry', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    const source = at(run, '/mnt/a');
    const tmp = at(run, '/tmp');
    expect(run.ok(bind('/mnt/a', '/tmp'))).toBe(0);
    expect(mnt(run, 5)).toMatchObject({ mnt_sb: 2, mnt_root: source.dentry, mnt_parent: 2, mnt_mountpoint: tmp.dentry, mnt_ns: 1, mnt_count: 1 });
    expect(sb(run, 2)?.s_active).toBe(2);
    expect(at(run, '/tmp')).toEqual({ mnt: 5, dentry: source.dentry });
    run.ok(mkdir('/tmp/x'));
    expect(at(run, '/mnt/a/x').dentry).toBe(at(run, '/tmp/x').dentry);
    run.sound();
  });
  it('a non-recursive bind copies no submount: the bind shows the directory under the child', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok(bind('/mnt', '/tmp'));
    expect(mnt(run, 6)?.mnt_mounts).toEqual([]);
    expect(at(run, '/tmp/a')).toEqual({ mnt: 6, dentry: mnt(run, 5)?.mnt_mountpoint });
    run.sound();
  });
  it('rbind copies every submount under the source dentry, nested ones included, and nothing outside it', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a')); // 5
    run.ok(mkdir('/mnt/a/x'));
    run.ok(tmpfs('/mnt/a/x')); // 6
    run.ok(rbind('/mnt', '/tmp')); // 7 (copy of 2 at /mnt), 8 (of 5), 9 (of 6)
    expect(mnt(run, 7)).toMatchObject({ mnt_sb: 2, mnt_root: at(run, '/mnt').dentry, mnt_parent: 2, mnt_mounts: [8] });
    expect(mnt(run, 8)).toMatchObject({ mnt_sb: 5, mnt_parent: 7, mnt_mountpoint: mnt(run, 5)?.mnt_mountpoint, mnt_mounts: [9] });
    expect(mnt(run, 9)).toMatchObject({ mnt_sb: 6, mnt_parent: 8, mnt_mountpoint: mnt(run, 6)?.mnt_mountpoint });
    expect([sb(run, 2)?.s_active, sb(run, 5)?.s_active, sb(run, 6)?.s_active]).toEqual([2, 2, 2]);
    expect(ns(run, 1)?.nr_mounts).toBe(8);
    expect(at(run, '/tmp/a/x').mnt).toBe(9);
    expect(mountpoint(run, mnt(run, 5)?.mnt_mountpoint)?.m_count).toBe(2);
    run.sound();
  });
  it('rbind copies nsfs bind mounts too (CL_COPY_MNT_NS_FILE)', () => {
    const run = new Run();
    run.ok(cloneNewns()); // task 2 in namespace 2, mounts 5-7
    run.ok(mknod('/mnt/f'));
    run.ok(bind('/proc/2/ns/mnt', '/mnt/f')); // 8
    run.ok(rbind('/mnt', '/tmp')); // 9, 10
    const nsfs = mnt(run, 8)?.mnt_root;
    expect(mnt(run, 10)).toMatchObject({ mnt_parent: 9, mnt_root: nsfs, mnt_sb: 4 });
    expect(dentry(run, nsfs)).toMatchObject({ kind: 'nsfs', ns: 2, d_count: 2 });
    run.sound();
  });
  it('binds /proc/<pid>/ns/mnt of a namespace with a larger id onto a file: an nsfs mount pinning it', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(mknod('/tmp/f'));
    const file = at(run, '/tmp/f');
    expect(run.ok(bind('/proc/2/ns/mnt', '/tmp/f'))).toBe(0);
    const stashed = ns(run, 2)?.stashed;
    expect(mnt(run, 8)).toMatchObject({ mnt_sb: 4, mnt_root: stashed, mnt_parent: 2, mnt_mountpoint: file.dentry, mnt_ns: 1 });
    expect(dentry(run, stashed)).toMatchObject({ kind: 'nsfs', ns: 2, d_count: 1 });
    expect(ns(run, 2)?.count).toBe(2); // task 2 and the nsfs inode
    expect(sb(run, 4)?.s_active).toBe(2);
    run.sound();
  });
  it('binds an opened namespace file through /proc/self/fd/N (may_copy_tree accepts nsfs dentries)', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(mknod('/tmp/f'));
    const fd = run.ok({ type: 'open', task: INIT, path: '/proc/2/ns/mnt', flags: [] });
    run.ok(bind(`/proc/self/fd/${fd}`, '/tmp/f'));
    expect(dentry(run, ns(run, 2)?.stashed)).toMatchObject({ d_count: 2 });
    run.sound();
  });
  it('binds from an existing nsfs bind mount', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(mknod('/tmp/f'));
    run.ok(mknod('/mnt/g'));
    run.ok(bind('/proc/2/ns/mnt', '/tmp/f'));
    run.ok(bind('/tmp/f', '/mnt/g'));
    expect(mnt(run, 9)).toMatchObject({ mnt_root: ns(run, 2)?.stashed, mnt_sb: 4 });
    run.sound();
  });
  it("of the caller's own namespace file fails EINVAL at mnt_ns_loop", () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    expect(run.fails(bind('/proc/self/ns/mnt', '/tmp/f'), 'EINVAL')).toMatch(/mnt_ns_loop/);
    run.sound();
  });
  it('of a namespace file with a smaller id fails EINVAL at mnt_ns_loop, also from an nsfs bind mount', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(mknod('/tmp/f'));
    run.ok(mknod('/tmp/g'));
    expect(run.fails(bind('/proc/1/ns/mnt', '/tmp/f', CHILD), 'EINVAL')).toMatch(/mnt_ns_loop/);
    run.ok(bind('/proc/2/ns/mnt', '/tmp/f')); // namespace 1 holds namespace 2's file
    expect(run.fails(bind('/proc/1/root/tmp/f', '/tmp/g', CHILD), 'EINVAL')).toMatch(/mnt_ns_loop/);
    run.sound();
  });
  it('of an nsfs file onto a directory fails ENOTDIR at graft_tree', () => {
    const run = new Run();
    run.ok(cloneNewns());
    expect(run.fails(bind('/proc/2/ns/mnt', '/tmp'), 'ENOTDIR')).toMatch(/graft_tree/);
    run.sound();
  });
  it('of a directory onto a file, or of a file onto a directory, fails ENOTDIR at graft_tree', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    expect(run.fails(bind('/mnt', '/tmp/f'), 'ENOTDIR')).toMatch(/graft_tree/);
    expect(run.fails(bind('/tmp/f', '/mnt'), 'ENOTDIR')).toMatch(/graft_tree/);
    run.ok(mknod('/mnt/g'));
    run.ok(bind('/tmp/f', '/mnt/g'));
    run.sound();
  });
  it('without a source fails EINVAL at do_loopback: !old_name', () => {
    const run = new Run();
    expect(run.fails(bind(null, '/tmp'), 'EINVAL')).toMatch(/do_loopback: no source/);
    expect(run.fails(bind('', '/tmp'), 'EINVAL')).toMatch(/do_loopback: no source/);
    run.sound();
  });
  it('of a missing source fails ENOENT at kern_path', () => {
    const run = new Run();
    expect(run.fails(bind('/mnt/none', '/tmp'), 'ENOENT')).toMatch(/lookup/);
    run.sound();
  });
  it('of a procfs directory below /proc fails ENOENT (not modelled)', () => {
    const run = new Run();
    expect(run.fails(bind('/proc/self', '/tmp'), 'ENOENT')).toMatch(/not modelled/);
    run.sound();
  });
  it('of a source in another namespace (via /proc/<pid>/root) fails EINVAL at may_copy_tree', () => {
    const run = new Run();
    run.ok(cloneNewns());
    expect(run.fails(bind('/proc/2/root/mnt', '/tmp'), 'EINVAL')).toMatch(/may_copy_tree/);
    run.sound();
  });
  it('of a lazily unmounted source (via /proc/self/fd/N) fails EINVAL at may_copy_tree', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const fd = run.ok({ type: 'open', task: INIT, path: '/mnt', flags: ['O_PATH'] });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(run.fails(bind(`/proc/self/fd/${fd}`, '/tmp'), 'EINVAL')).toMatch(/may_copy_tree/);
    run.sound();
  });
  it('onto a target in another namespace fails EINVAL at do_loopback: !check_mnt', () => {
    const run = new Run();
    run.ok(cloneNewns());
    expect(run.fails(bind('/mnt', '/proc/2/root/tmp'), 'EINVAL')).toMatch(/do_loopback: !check_mnt/);
    run.sound();
  });
  it('unprivileged with a missing source gets EPERM: the source is resolved only after may_mount', () => {
    const run = new Run();
    run.ok({ type: 'capset', task: INIT, effective: [] });
    expect(run.fails(bind('/mnt/none', '/tmp'), 'EPERM')).toMatch(/may_mount/);
    run.sound();
  });
  it('of the own namespace file onto a lazily unmounted target gets EINVAL: mnt_ns_loop precedes lock_mount', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mknod('/mnt/f'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(run.fails(bind('/proc/self/ns/mnt', 'f'), 'EINVAL')).toMatch(/mnt_ns_loop/);
    expect(run.fails(bind('/tmp', '.'), 'ENOENT')).toMatch(/lock_mount: target mount is not mounted/);
    run.sound();
  });
});
