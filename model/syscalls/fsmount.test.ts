// fsopen(2), fsconfig(2) FSCONFIG_CMD_CREATE and fsmount(2): each check in the kernel's order (the
// fs_context phases, fdget()'s blindness to O_PATH files, mount_capable() at create time), the
// superblock references the context and the mount hold, and the detached mount fsmount() returns.
import { describe, expect, it } from 'vitest';
import type { Event, MountAttr, TaskId } from '../index.js';
import { INIT, Run, close, cloneNewns, dropCaps, fdOf, fdt, mknod, mnt, ns, open, sb, task } from '../test-helpers.js';

const CHILD = task(2);
const fsopen = (fsname: string, actor: TaskId = INIT): Event => ({ type: 'fsopen', task: actor, fsname });
const fsconfig = (fd: number, actor: TaskId = INIT): Event => ({ type: 'fsconfig', task: actor, fd: fdOf(fd), cmd: 'FSCONFIG_CMD_CREATE' });
const fsmount = (fd: number, attr: MountAttr[] = [], actor: TaskId = INIT): Event => ({ type: 'fsmount', task: actor, fd: fdOf(fd), attr });

/** The struct file behind a descriptor. */
function fileAt(run: Run, fd: number, actor: TaskId = INIT) {
  const id = fdt(run, actor)?.[fdOf(fd)];
  return id === undefined ? undefined : run.state.files[id];
}
/** fsopen + FSCONFIG_CMD_CREATE: a context fd awaiting fsmount. */
function createdContext(run: Run, fsname = 'tmpfs'): number {
  const fd = run.ok(fsopen(fsname));
  run.ok(fsconfig(fd));
  return fd;
}

describe('fsopen(2)', () => {
  it('returns the lowest free fd on a new fs_context in FS_CONTEXT_CREATE_PARAMS, with no superblock', () => {
    const run = new Run();
    run.ok(open('/mnt'));
    const fd = run.ok(fsopen('tmpfs'));
    expect(fd).toBe(4);
    expect(fileAt(run, fd)).toMatchObject({ kind: 'fscontext', fs_type: 'tmpfs', user_ns: 1, phase: 'create-params', sb: null, f_count: 1 });
    run.ok(close(fd));
    expect(fileAt(run, fd)).toBeUndefined();
    run.sound();
  });
  it('fails EPERM without CAP_SYS_ADMIN over the caller\'s mount namespace, before the type is looked at', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(fsopen('ext4'), 'EPERM')).toMatch(/ns_capable/);
  });
  it('fails ENODEV for a filesystem type that is not known (get_fs_type)', () => {
    const run = new Run();
    expect(run.fails(fsopen('ext4'), 'ENODEV')).toMatch(/get_fs_type/);
    run.fails(fsopen('nsfs'), 'ENODEV');
  });
});

describe('fsconfig(2) FSCONFIG_CMD_CREATE', () => {
  it('creates a tmpfs superblock held active by the context, which its close releases', () => {
    const run = new Run();
    const fd = createdContext(run);
    expect(fileAt(run, fd)).toMatchObject({ phase: 'awaiting-mount', sb: 5 });
    expect(sb(run, 5)).toMatchObject({ s_type: 'tmpfs', s_active: 1, s_user_ns: 1 });
    run.sound();
    run.ok(close(fd));
    expect(sb(run, 5)).toBeUndefined();
    run.sound();
  });
  it('for procfs creates a new procfs superblock (get_tree_nodev), held active by the context', () => {
    const run = new Run();
    const fd = createdContext(run, 'proc');
    const created = fileAt(run, fd);
    const id = created !== undefined && 'sb' in created ? created.sb : null;
    expect(id).not.toBeNull();
    expect(id).not.toBe(3);
    expect(sb(run, id as number)).toMatchObject({ s_type: 'proc', s_active: 1 });
    run.ok(close(fd));
    expect(sb(run, id as number)).toBeUndefined();
    expect(sb(run, 3)?.s_active).toBe(1);
    run.sound();
  });
  it('fails EBADF for an fd that is not open, and for an O_PATH fd (fdget)', () => {
    const run = new Run();
    run.fails(fsconfig(3), 'EBADF');
    const path = run.ok(open('/mnt', ['O_PATH']));
    run.fails(fsconfig(path), 'EBADF');
  });
  it('fails EINVAL for a file that is not an fs_context: a regular open, a socket', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    const reg = run.ok(open('/tmp/f'));
    expect(run.fails(fsconfig(reg), 'EINVAL')).toMatch(/not an fs_context/);
    run.ok({ type: 'socketpair', task: INIT });
    run.fails(fsconfig(reg + 1), 'EINVAL');
  });
  it('fails EBUSY once the context left FS_CONTEXT_CREATE_PARAMS: after a create, after fsmount', () => {
    const run = new Run();
    const fd = createdContext(run);
    expect(run.fails(fsconfig(fd), 'EBUSY')).toMatch(/FS_CONTEXT_CREATE_PARAMS/);
    run.ok(fsmount(fd));
    run.fails(fsconfig(fd), 'EBUSY');
  });
  it('fails EPERM when CAP_SYS_ADMIN was dropped after fsopen (mount_capable), after the phase check', () => {
    const run = new Run();
    const fd = run.ok(fsopen('tmpfs'));
    const used = createdContext(run);
    run.ok(dropCaps);
    expect(run.fails(fsconfig(fd), 'EPERM')).toMatch(/mount_capable/);
    run.fails(fsconfig(used), 'EBUSY');
  });
});

describe('fsconfig(2) FSCONFIG_CMD_CREATE: mount_capable() over fc->user_ns, recorded at fsopen', () => {
  // task 2 shares task 1's fd table; task 1 then moves to a user namespace of its own
  function sharedFdsAcrossUserNs(): Run {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_FS', 'CLONE_FILES'] });
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
    return run;
  }
  it('records the fsopen caller\'s user namespace as fc->user_ns (alloc_fs_context)', () => {
    const run = sharedFdsAcrossUserNs();
    const fromChild = run.ok(fsopen('tmpfs', CHILD));
    const fromInit = run.ok(fsopen('tmpfs'));
    expect(fileAt(run, fromChild)).toMatchObject({ user_ns: 1 });
    expect(fileAt(run, fromInit)).toMatchObject({ user_ns: run.state.tasks[INIT]?.userNs });
    expect(run.state.tasks[INIT]?.userNs).not.toBe(1);
  });
  it('fails EPERM for a caller in a child user namespace creating a context opened in the initial one', () => {
    const run = sharedFdsAcrossUserNs();
    const fd = run.ok(fsopen('tmpfs', CHILD));
    expect(run.fails(fsconfig(fd), 'EPERM')).toMatch(/mount_capable/);
    run.ok(fsconfig(fd, CHILD));
    run.sound();
  });
  it('lets a caller in the parent user namespace create a context opened in a child one, owned by the child (sget_fc)', () => {
    const run = sharedFdsAcrossUserNs();
    const fd = run.ok(fsopen('tmpfs'));
    run.ok(fsconfig(fd, CHILD));
    const created = fileAt(run, fd);
    const superBlock = created?.kind === 'fscontext' && created.sb !== null ? run.state.superBlocks[created.sb] : undefined;
    expect(superBlock?.s_user_ns).toBe(run.state.tasks[INIT]?.userNs);
    run.sound();
  });
  it('procfs\'s fc->user_ns is the owner of the pid namespace, the initial user namespace (proc_init_fs_context)', () => {
    const run = sharedFdsAcrossUserNs();
    const fd = run.ok(fsopen('proc'));
    expect(fileAt(run, fd)).toMatchObject({ user_ns: 1 });
    expect(run.fails(fsconfig(fd), 'EPERM')).toMatch(/mount_capable/);
  });
});

describe('fsmount(2)', () => {
  it('mounts the superblock as the root of a new anonymous namespace, O_PATH fd with FMODE_NEED_UNMOUNT', () => {
    const run = new Run();
    const context = createdContext(run);
    const fd = run.ok(fsmount(context, ['MOUNT_ATTR_RDONLY', 'MOUNT_ATTR_NOSUID']));
    expect(fd).toBe(4);
    expect(mnt(run, 5)).toMatchObject({ mnt_sb: 5, mnt_ns: 2, mnt_parent: null, mnt_count: 2 });
    expect(mnt(run, 5)?.flags).toMatchObject({ readonly: true, nosuid: true, nodev: false, noexec: false, locked: false });
    expect(sb(run, 5)).toMatchObject({ s_active: 2, sb_rdonly: false });
    expect(ns(run, 2)).toMatchObject({ anon: true, seq: 0, seq_origin: 0, root: 5, nr_mounts: 1, count: 1, user_ns: 1 });
    expect(fileAt(run, fd)).toMatchObject({ kind: 'path', fmodePath: true, needUnmount: true, f_path: { mnt: 5, dentry: sb(run, 5)?.s_root } });
    expect(fileAt(run, context)).toMatchObject({ phase: 'mounted', sb: 5 });
    run.sound();
  });
  it('the context keeps its superblock reference: closing the mount fd dissolves the mount only', () => {
    const run = new Run();
    const context = createdContext(run);
    const fd = run.ok(fsmount(context));
    run.ok(close(fd));
    expect([mnt(run, 5), ns(run, 2)]).toEqual([undefined, undefined]);
    expect(sb(run, 5)?.s_active).toBe(1);
    run.sound();
    run.ok(close(context));
    expect(sb(run, 5)).toBeUndefined();
    run.sound();
  });
  it('closing the context first leaves the mount holding the superblock', () => {
    const run = new Run();
    const context = createdContext(run);
    const fd = run.ok(fsmount(context));
    run.ok(close(context));
    expect(sb(run, 5)?.s_active).toBe(1);
    run.ok({ type: 'fchdir', task: INIT, fd: fdOf(fd) });
    run.ok(close(fd));
    expect(mnt(run, 5)).toMatchObject({ mnt_ns: null, mnt_count: 1 });
    run.sound();
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    expect(sb(run, 5)).toBeUndefined();
    run.sound();
  });
  it('a procfs fsmount mounts the context\'s own new procfs superblock', () => {
    const run = new Run();
    const fd = run.ok(fsmount(createdContext(run, 'proc')));
    const id = mnt(run, 5)?.mnt_sb as number;
    expect(id).not.toBe(3);
    expect(sb(run, id)).toMatchObject({ s_type: 'proc', s_active: 2 });
    run.ok(close(fd));
    expect(sb(run, id)?.s_active).toBe(1);
    run.sound();
  });
  it('the anonymous namespace is owned by the caller\'s mount namespace\'s owner', () => {
    const run = new Run();
    run.ok(cloneNewns());
    const context = run.ok(fsopen('tmpfs', CHILD));
    run.ok(fsconfig(context, CHILD));
    run.ok(fsmount(context, [], CHILD));
    expect(Object.values(run.state.mntNamespaces).filter((namespace) => namespace.anon)).toMatchObject([{ user_ns: 1, seq_origin: 0 }]);
    run.sound();
  });
  it('fails EPERM without CAP_SYS_ADMIN (may_mount), before the fd is looked at', () => {
    const run = new Run();
    const context = createdContext(run);
    run.ok(dropCaps);
    expect(run.fails(fsmount(context), 'EPERM')).toMatch(/may_mount/);
    run.fails(fsmount(9), 'EPERM');
  });
  it('fails EBADF for an fd that is not open, and for an O_PATH fd (fdget)', () => {
    const run = new Run();
    run.fails(fsmount(3), 'EBADF');
    const path = run.ok(open('/mnt', ['O_PATH']));
    run.fails(fsmount(path), 'EBADF');
  });
  it('fails EINVAL for a file that is not an fs_context, and for one without a superblock yet', () => {
    const run = new Run();
    const reg = run.ok(open('/mnt'));
    expect(run.fails(fsmount(reg), 'EINVAL')).toMatch(/not an fs_context/);
    const context = run.ok(fsopen('tmpfs'));
    expect(run.fails(fsmount(context), 'EINVAL')).toMatch(/fc->root/);
  });
  it('fails EBUSY for a context that was already mounted', () => {
    const run = new Run();
    const context = createdContext(run);
    run.ok(fsmount(context));
    expect(run.fails(fsmount(context), 'EBUSY')).toMatch(/FS_CONTEXT_AWAITING_MOUNT/);
  });
  it('the mount can be attached with move_mount() and stays when its fd is closed', () => {
    const run = new Run();
    const fd = run.ok(fsmount(createdContext(run)));
    run.ok({ type: 'move_mount', task: INIT, from_dfd: fdOf(fd), from_path: '', to_dfd: 'AT_FDCWD', to_path: '/mnt', flags: ['MOVE_MOUNT_F_EMPTY_PATH'] });
    run.ok(close(fd));
    expect(mnt(run, 5)).toMatchObject({ mnt_ns: 1, mnt_parent: 2 });
    run.sound();
  });
});
