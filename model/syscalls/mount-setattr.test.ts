// mount_setattr(2): the checks of wants_mount_setattr() and do_mount_setattr() in order, flags set
// and cleared (set wins), AT_RECURSIVE, the all-or-nothing locked-flag check of
// mount_setattr_prepare(), and propagation changes, on mounts of the caller's namespace and on the
// roots of detached trees.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Dirfd, Event, MountAttr, MountFlags, MountSetattrFlag, PropagationType, TaskId } from '../index.js';
import { mountId } from '../index.js';
import { INIT, Run, cloneNewns, dropCaps, fdOf, mkdir, mnt, open, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
interface Setattr {
  readonly set?: MountAttr[];
  readonly clr?: MountAttr[];
  readonly propagation?: PropagationType;
  readonly flags?: MountSetattrFlag[];
  readonly dfd?: Dirfd;
  readonly actor?: TaskId;
}
const setattr = (path: string, request: Setattr): Event => ({
  type: 'mount_setattr',
  task: request.actor ?? INIT,
  dfd: request.dfd ?? 'AT_FDCWD',
  path,
  flags: request.flags ?? [],
  attr_set: request.set ?? [],
  attr_clr: request.clr ?? [],
  propagation: request.propagation ?? null,
});
/** mount_setattr(fd, "", AT_EMPTY_PATH [| more], ...). */
const setattrFd = (fd: number, request: Setattr): Event =>
  setattr('', { ...request, dfd: fdOf(fd), flags: ['AT_EMPTY_PATH', ...(request.flags ?? [])] });
const cloneTree = (path: string): Event =>
  ({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path, flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] });
/** Give a mount flags the model can only reach with user namespaces (MNT_LOCK_*). */
function setFlags(run: Run, id: number, flags: Partial<MountFlags>): void {
  run.state = produce(run.state, (draft) => {
    const mount = draft.mounts[mountId(id)];
    if (mount !== undefined) Object.assign(mount.flags, flags);
  });
}
const flagsOf = (run: Run, id: number) => {
  const flags = mnt(run, id)?.flags;
  return flags === undefined ? undefined : { readonly: flags.readonly, nosuid: flags.nosuid, nodev: flags.nodev, noexec: flags.noexec };
};
const NONE = { readonly: false, nosuid: false, nodev: false, noexec: false };

/** /mnt a tmpfs (mount 5) with another on /mnt/a (mount 6). */
function nested(): Run {
  const run = new Run();
  run.ok(tmpfs('/mnt'));
  run.ok(mkdir('/mnt/a'));
  run.ok(tmpfs('/mnt/a'));
  return run;
}

describe('mount_setattr(2): flags', () => {
  it('sets and clears per-mount flags of the mount at the path only', () => {
    const run = nested();
    run.ok(setattr('/mnt', { set: ['MOUNT_ATTR_RDONLY', 'MOUNT_ATTR_NODEV'] }));
    expect(flagsOf(run, 5)).toEqual({ ...NONE, readonly: true, nodev: true });
    expect(flagsOf(run, 6)).toEqual(NONE);
    run.ok(setattr('/mnt', { clr: ['MOUNT_ATTR_RDONLY'], set: ['MOUNT_ATTR_NOEXEC'] }));
    expect(flagsOf(run, 5)).toEqual({ ...NONE, nodev: true, noexec: true });
    expect(run.state.superBlocks[mnt(run, 5)?.mnt_sb ?? (0 as never)]?.sb_rdonly).toBe(false);
    run.sound();
  });
  it('a flag both set and cleared ends up set (recalc_flags clears, then raises)', () => {
    const run = nested();
    run.ok(setattr('/mnt', { set: ['MOUNT_ATTR_NOSUID'], clr: ['MOUNT_ATTR_NOSUID'] }));
    expect(flagsOf(run, 5)?.nosuid).toBe(true);
  });
  it('with AT_RECURSIVE changes every mount of the subtree', () => {
    const run = nested();
    run.ok(setattr('/mnt', { set: ['MOUNT_ATTR_NOSUID'], flags: ['AT_RECURSIVE'] }));
    expect([flagsOf(run, 5)?.nosuid, flagsOf(run, 6)?.nosuid, flagsOf(run, 2)?.nosuid]).toEqual([true, true, false]);
    run.sound();
  });
  it('changes the root of a detached tree, reached through its fd, whoever made it', () => {
    const run = nested();
    const fd = run.ok(cloneTree('/mnt'));
    run.ok(setattrFd(fd, { set: ['MOUNT_ATTR_RDONLY'], flags: ['AT_RECURSIVE'] }));
    expect([flagsOf(run, 7)?.readonly, flagsOf(run, 8)?.readonly, flagsOf(run, 5)?.readonly]).toEqual([true, true, false]);
    run.ok(cloneNewns()); // another namespace, which inherited the fd
    run.ok(setattrFd(fd, { clr: ['MOUNT_ATTR_RDONLY'], actor: CHILD }));
    expect(flagsOf(run, 7)?.readonly).toBe(false);
    run.sound();
  });
  it('may keep a locked flag set, or change other flags of a locked mount', () => {
    const run = nested();
    setFlags(run, 5, { readonly: true, lockReadonly: true });
    run.ok(setattr('/mnt', { set: ['MOUNT_ATTR_RDONLY', 'MOUNT_ATTR_NOEXEC'] }));
    expect(flagsOf(run, 5)).toEqual({ ...NONE, readonly: true, noexec: true });
  });
});

describe('mount_setattr(2): the checks in order', () => {
  it('fails EPERM without CAP_SYS_ADMIN, even for a request that changes nothing (may_mount comes first)', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(setattr('/nonexistent', {}), 'EPERM')).toMatch(/may_mount/);
    run.fails(setattr('/mnt', { set: ['MOUNT_ATTR_RDONLY'] }), 'EPERM');
  });
  it('returns 0 for a request that changes nothing, before the path is looked up', () => {
    const run = new Run();
    expect(run.ok(setattr('/nonexistent', {}))).toBe(0);
    expect(run.ok(setattr('x', { dfd: fdOf(9) }))).toBe(0);
    expect(run.ok(setattr('/tmp', { flags: ['AT_RECURSIVE'] }))).toBe(0);
  });
  it('fails ENOENT, EBADF or ENOTDIR from the lookup', () => {
    const run = new Run();
    run.fails(setattr('/nonexistent', { set: ['MOUNT_ATTR_RDONLY'] }), 'ENOENT');
    run.fails(setattr('', { set: ['MOUNT_ATTR_RDONLY'] }), 'ENOENT');
    run.fails(setattr('mnt', { set: ['MOUNT_ATTR_RDONLY'], dfd: fdOf(9) }), 'EBADF');
    const nsfd = run.ok(open('/proc/self/ns/mnt'));
    run.fails(setattr('x', { set: ['MOUNT_ATTR_RDONLY'], dfd: fdOf(nsfd) }), 'ENOTDIR');
    expect(run.fails(setattr('/proc/1', { set: ['MOUNT_ATTR_RDONLY'] }), 'ENOENT')).toMatch(/^model:/);
  });
  it('fails EINVAL for a path that is not a mount root, /proc/self/ns/mnt included (path_mounted)', () => {
    const run = new Run();
    expect(run.fails(setattr('/tmp', { set: ['MOUNT_ATTR_RDONLY'] }), 'EINVAL')).toMatch(/path_mounted/);
    expect(run.fails(setattr('/proc/self/ns/mnt', { propagation: 'MS_PRIVATE' }), 'EINVAL')).toMatch(/path_mounted/);
    const nsfd = run.ok(open('/proc/self/ns/mnt'));
    expect(run.fails(setattrFd(nsfd, { set: ['MOUNT_ATTR_RDONLY'] }), 'EINVAL')).toMatch(/path_mounted/);
  });
  it('fails EINVAL for a mount below the root of a detached tree', () => {
    const run = nested();
    const fd = run.ok(cloneTree('/mnt'));
    expect(run.fails(setattr('a', { set: ['MOUNT_ATTR_RDONLY'], dfd: fdOf(fd) }), 'EINVAL')).toMatch(/detached tree/);
    run.fails(setattr('a', { propagation: 'MS_SHARED', dfd: fdOf(fd) }), 'EINVAL');
  });
  it('fails EINVAL for a mount of another namespace and for a lazily unmounted mount', () => {
    const run = nested();
    run.ok(cloneNewns());
    expect(run.fails(setattr('/proc/2/root/mnt', { set: ['MOUNT_ATTR_RDONLY'] }), 'EINVAL')).toMatch(/our namespace/);
    const fd = run.ok(open('/mnt', ['O_PATH']));
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    run.fails(setattrFd(fd, { set: ['MOUNT_ATTR_RDONLY'] }), 'EINVAL');
    run.fails(setattrFd(fd, { propagation: 'MS_SHARED' }), 'EINVAL');
  });
  it('fails EPERM when a locked flag would be cleared (can_change_locked_flags)', () => {
    const run = nested();
    setFlags(run, 5, { readonly: true, lockReadonly: true, nodev: true, lockNodev: true });
    expect(run.fails(setattr('/mnt', { clr: ['MOUNT_ATTR_RDONLY'] }), 'EPERM')).toMatch(/can_change_locked_flags/);
    run.fails(setattr('/mnt', { clr: ['MOUNT_ATTR_NODEV'], set: ['MOUNT_ATTR_NOEXEC'] }), 'EPERM');
  });
  it('with AT_RECURSIVE fails EPERM for a locked flag anywhere below, changing nothing at all', () => {
    const run = nested();
    setFlags(run, 5, { nosuid: true });
    setFlags(run, 6, { nosuid: true, lockNosuid: true });
    run.fails(setattr('/mnt', { clr: ['MOUNT_ATTR_NOSUID'], set: ['MOUNT_ATTR_RDONLY'], flags: ['AT_RECURSIVE'] }), 'EPERM');
    expect([flagsOf(run, 5), flagsOf(run, 6)]).toEqual([{ ...NONE, nosuid: true }, { ...NONE, nosuid: true }]);
    // without AT_RECURSIVE the locked child is not touched and does not matter
    run.ok(setattr('/mnt', { clr: ['MOUNT_ATTR_NOSUID'] }));
    expect([flagsOf(run, 5)?.nosuid, flagsOf(run, 6)?.nosuid]).toEqual([false, true]);
  });
  it('checks the target before the locked flags: a detached non-root is EINVAL even when locked', () => {
    const run = nested();
    setFlags(run, 6, { readonly: true, lockReadonly: true });
    const fd = run.ok(cloneTree('/mnt'));
    run.fails(setattr('a', { clr: ['MOUNT_ATTR_RDONLY'], dfd: fdOf(fd) }), 'EINVAL');
  });
});

describe('mount_setattr(2): propagation', () => {
  it('MS_SHARED gives the mount a new peer group, MS_PRIVATE takes it away again', () => {
    const run = nested();
    run.ok(setattr('/mnt', { propagation: 'MS_SHARED' }));
    expect(mnt(run, 5)?.mnt_group_id).not.toBeNull();
    expect(mnt(run, 6)?.mnt_group_id).toBeNull();
    run.ok(setattr('/mnt', { propagation: 'MS_PRIVATE' }));
    expect(mnt(run, 5)?.mnt_group_id).toBeNull();
    run.sound();
  });
  it('with AT_RECURSIVE shares every mount of the subtree, each in a group of its own', () => {
    const run = nested();
    run.ok(setattr('/mnt', { propagation: 'MS_SHARED', flags: ['AT_RECURSIVE'] }));
    const groups = [mnt(run, 5)?.mnt_group_id, mnt(run, 6)?.mnt_group_id];
    expect(groups.every((group) => group !== null && group !== undefined)).toBe(true);
    expect(new Set(groups).size).toBe(2);
    run.sound();
  });
  it('MS_UNBINDABLE and MS_SLAVE of a shared peer; flags and propagation change together', () => {
    const run = nested();
    run.ok(setattr('/mnt', { propagation: 'MS_SHARED' }));
    run.ok({ type: 'mount', task: INIT, source: '/mnt', target: '/tmp', fstype: null, flags: ['MS_BIND'] });
    const group = mnt(run, 5)?.mnt_group_id;
    expect(mnt(run, 7)?.mnt_group_id).toBe(group);
    run.ok(setattr('/tmp', { propagation: 'MS_SLAVE', set: ['MOUNT_ATTR_NOEXEC'] }));
    expect(mnt(run, 7)).toMatchObject({ mnt_group_id: null, mnt_master: 5 });
    expect(flagsOf(run, 7)?.noexec).toBe(true);
    run.ok(setattr('/tmp', { propagation: 'MS_UNBINDABLE' }));
    expect(mnt(run, 7)).toMatchObject({ mnt_group_id: null, mnt_master: null, unbindable: true });
    run.sound();
  });
  it('changes the propagation of a detached tree\'s root', () => {
    const run = nested();
    const fd = run.ok(cloneTree('/mnt'));
    run.ok(setattrFd(fd, { propagation: 'MS_SHARED', flags: ['AT_RECURSIVE'] }));
    expect([mnt(run, 7)?.mnt_group_id, mnt(run, 8)?.mnt_group_id].every((group) => group != null)).toBe(true);
    run.sound();
  });
});
