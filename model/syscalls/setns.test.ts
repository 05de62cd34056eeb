// setns(2) with a mount-namespace file (kernel/nsproxy.c setns, prepare_nsset; fs/namespace.c
// mntns_install): the namespace switch, root and cwd reset to the topmost mount on the target's
// root, the references moved, and each errno with the check that returns it, in the kernel's order.
import { describe, expect, it } from 'vitest';
import type { Event, Fd, SetnsType, TaskId } from '../index.js';
import { dentryId } from '../index.js';
import { INIT, Run, fdOf, fsOf, mnt, ns, open, task } from '../test-helpers.js';

const CHILD = task(2);
const ROOT_DENTRY = dentryId(2); // "/" of the real root tmpfs (mount 2 and its copies)
const setns = (fd: Fd, nstype: SetnsType = 'CLONE_NEWNS', actor: TaskId = INIT): Event => ({ type: 'setns', task: actor, fd, nstype });

/** Task 2 in namespace 2 (mounts 5-7, mount 6 the copy of "/"), and INIT holding its ns file as fd 3. */
function withChildNamespace(): Run {
  const run = new Run();
  run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
  expect(run.ok(open('/proc/2/ns/mnt'))).toBe(3);
  return run;
}

describe('setns(2) that joins a namespace', () => {
  it('moves the task into the namespace and sets root and cwd to its root; the old namespace dies with its last task', () => {
    const run = withChildNamespace();
    run.ok({ type: 'chdir', task: INIT, path: '/tmp' });
    expect(run.ok(setns(fdOf(3)))).toBe(0);
    expect(run.state.tasks[INIT]?.mntNs).toBe(2);
    expect(fsOf(run, INIT)).toMatchObject({ root: { mnt: 6, dentry: ROOT_DENTRY }, pwd: { mnt: 6, dentry: ROOT_DENTRY } });
    expect(ns(run, 2)?.count).toBe(3); // task 2, INIT and the nsfs inode
    expect(mnt(run, 6)?.mnt_count).toBe(5); // tree + two roots + two cwds
    expect(ns(run, 1)).toBeUndefined();
    expect([mnt(run, 1), mnt(run, 2), mnt(run, 3)]).toEqual([undefined, undefined, undefined]);
    run.sound();
  });
  it('leaves the old namespace to the tasks still in it and drops only the caller\'s references', () => {
    const run = withChildNamespace();
    run.ok({ type: 'clone', task: INIT, flags: [] }); // task 3 stays in namespace 1
    run.ok(setns(fdOf(3)));
    expect(ns(run, 1)?.count).toBe(1);
    expect(mnt(run, 2)?.mnt_count).toBe(3); // tree + task 3's root and cwd
    run.sound();
  });
  it('accepts nstype 0 (any namespace type)', () => {
    const run = withChildNamespace();
    run.ok(setns(fdOf(3), '0'));
    expect(run.state.tasks[INIT]?.mntNs).toBe(2);
    run.sound();
  });
  it('into the caller\'s own namespace resets root and cwd, which escapes a chroot', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt')); // opened before the chroot hides /proc
    run.ok({ type: 'chroot', task: INIT, path: '/tmp' });
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    expect(fsOf(run, INIT)?.root.dentry).not.toBe(ROOT_DENTRY);
    run.ok(setns(fdOf(3)));
    expect(run.state.tasks[INIT]?.mntNs).toBe(1);
    expect(fsOf(run, INIT)).toMatchObject({ root: { mnt: 2, dentry: ROOT_DENTRY }, pwd: { mnt: 2, dentry: ROOT_DENTRY } });
    expect(ns(run, 1)?.count).toBe(2); // INIT and the nsfs inode
    run.sound();
  });
  it('lands on the topmost mount stacked on the namespace root (vfs_path_lookup with LOOKUP_DOWN)', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/', fstype: 'tmpfs', flags: [] }); // mount 5 over "/"
    expect(fsOf(run, INIT)?.root.mnt).toBe(2); // mounting over "/" does not move the root
    run.ok(open('/proc/1/ns/mnt'));
    run.ok(setns(fdOf(3)));
    const top = mnt(run, 5);
    expect(fsOf(run, INIT)).toMatchObject({ root: { mnt: 5, dentry: top?.mnt_root }, pwd: { mnt: 5, dentry: top?.mnt_root } });
    expect([mnt(run, 2)?.mnt_count, top?.mnt_count]).toEqual([1, 3]);
    run.sound();
  });
  it('works with a namespace file opened through an nsfs bind mount', () => {
    const run = withChildNamespace();
    run.ok({ type: 'mknod', task: INIT, path: '/mnt/f' });
    run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] });
    run.ok({ type: 'close', task: INIT, fd: fdOf(3) });
    expect(run.ok(open('/mnt/f'))).toBe(3);
    run.ok({ type: 'clone', task: INIT, flags: [] }); // keeps namespace 1 and its nsfs mount alive
    run.ok(setns(fdOf(3)));
    expect(run.state.tasks[INIT]?.mntNs).toBe(2);
    run.sound();
  });
  it('works through a file on an nsfs bind mount that was lazily unmounted after the namespace\'s tasks exited', () => {
    const run = withChildNamespace();
    run.ok({ type: 'mknod', task: INIT, path: '/mnt/f' });
    run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] });
    run.ok({ type: 'close', task: INIT, fd: fdOf(3) });
    run.ok({ type: 'exit', task: CHILD });
    expect(ns(run, 2)?.count).toBe(1); // only the nsfs inode, pinned by the bind mount
    run.ok(open('/mnt/f'));
    expect(run.fails({ type: 'umount2', task: INIT, target: '/mnt/f', flags: [] }, 'EBUSY')).toMatch(/busy/);
    run.ok({ type: 'umount2', task: INIT, target: '/mnt/f', flags: ['MNT_DETACH'] });
    run.ok({ type: 'clone', task: INIT, flags: [] }); // keeps namespace 1 alive
    run.ok(setns(fdOf(3)));
    expect(run.state.tasks[INIT]?.mntNs).toBe(2);
    expect(ns(run, 2)?.count).toBe(2);
    run.sound();
  });
});

describe('setns(2) errors, in the kernel\'s order', () => {
  it('on a closed fd fails EBADF at fdget', () => {
    const run = new Run();
    expect(run.fails(setns(fdOf(3)), 'EBADF')).toMatch(/fdget/);
    run.sound();
  });
  it('with an O_PATH fd fails EBADF at fdget (O_PATH files are invisible to setns)', () => {
    const run = withChildNamespace();
    expect(run.ok(open('/proc/2/ns/mnt', ['O_PATH']))).toBe(4);
    expect(run.fails(setns(fdOf(4)), 'EBADF')).toMatch(/fdget/);
    run.sound();
  });
  it('with a regular file fails EINVAL at proc_ns_file, before the capability check; an O_PATH one EBADF', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    expect(run.fails(setns(fdOf(3)), 'EINVAL')).toMatch(/not a namespace file/);
    run.ok({ type: 'capset', task: INIT, effective: [] });
    expect(run.fails(setns(fdOf(3), '0'), 'EINVAL')).toMatch(/not a namespace file/);
    run.ok(open('/tmp', ['O_PATH']));
    expect(run.fails(setns(fdOf(4)), 'EBADF')).toMatch(/fdget/);
    run.sound();
  });
  it('with a socket fails EINVAL at proc_ns_file', () => {
    const run = new Run();
    run.ok({ type: 'socketpair', task: INIT });
    expect(run.fails(setns(fdOf(3), '0'), 'EINVAL')).toMatch(/not a namespace file/);
    run.sound();
  });
  it('with an nstype other than CLONE_NEWNS fails EINVAL (flags && ns_type != flags), before mntns_install', () => {
    const run = withChildNamespace();
    expect(run.fails(setns(fdOf(3), 'CLONE_NEWNET'), 'EINVAL')).toMatch(/nstype does not match/);
    run.ok({ type: 'capset', task: INIT, effective: [] });
    expect(run.fails(setns(fdOf(3), 'CLONE_NEWNET'), 'EINVAL')).toMatch(/nstype/);
    run.sound();
  });
  it('without CAP_SYS_ADMIN fails EPERM at mntns_install', () => {
    const run = withChildNamespace();
    run.ok({ type: 'capset', task: INIT, effective: ['CAP_SYS_CHROOT'] });
    expect(run.fails(setns(fdOf(3)), 'EPERM')).toMatch(/mntns_install: !ns_capable/);
    run.sound();
  });
  it('without CAP_SYS_CHROOT fails EPERM at mntns_install', () => {
    const run = withChildNamespace();
    run.ok({ type: 'capset', task: INIT, effective: ['CAP_SYS_ADMIN'] });
    expect(run.fails(setns(fdOf(3)), 'EPERM')).toMatch(/mntns_install: !ns_capable/);
    run.sound();
  });
  it('with an fs_struct shared through CLONE_FS fails EINVAL at mntns_install (fs->users != 1), after EPERM', () => {
    const run = withChildNamespace();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_FS'] });
    expect(run.fails(setns(fdOf(3)), 'EINVAL')).toMatch(/mntns_install: fs->users != 1/);
    expect(run.fails(setns(fdOf(3), '0'), 'EINVAL')).toMatch(/fs->users != 1/);
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_FS'] }); // a private fs_struct: setns works
    run.ok(setns(fdOf(3)));
    expect(run.state.tasks[INIT]?.mntNs).toBe(2);
    run.sound();
    const unprivileged = withChildNamespace();
    unprivileged.ok({ type: 'clone', task: INIT, flags: ['CLONE_FS'] });
    unprivileged.ok({ type: 'capset', task: INIT, effective: [] });
    expect(unprivileged.fails(setns(fdOf(3)), 'EPERM')).toMatch(/mntns_install: !ns_capable/);
    unprivileged.sound();
  });
  it('into a namespace owned by a more privileged user namespace fails EPERM, even with every capability in its own', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt')); // fd 3, inherited by the child
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWUSER'] }); // task 2: user namespace 2, mount namespace 1
    expect(run.state.tasks[CHILD]?.caps).toEqual({ sysAdmin: true, sysChroot: true });
    expect(run.fails(setns(fdOf(3), 'CLONE_NEWNS', CHILD), 'EPERM')).toMatch(/mntns_install: !ns_capable/);
    run.sound();
  });
  it('into a namespace owned by a user namespace the caller created works; without its own capabilities it fails EPERM', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] }); // namespace 2, owned by user namespace 2
    run.ok(open('/proc/2/ns/mnt')); // fd 3
    run.ok({ type: 'clone', task: INIT, flags: [] }); // task 3, with a copy of fd 3, keeps namespace 1 alive
    run.ok({ type: 'capset', task: task(3), effective: [] });
    // cap_capable(): the owner of user namespace 2 has every capability in it, but mntns_install()
    // also asks for CAP_SYS_CHROOT and CAP_SYS_ADMIN in the caller's own user namespace
    expect(run.fails(setns(fdOf(3), 'CLONE_NEWNS', task(3)), 'EPERM')).toMatch(/mntns_install: !ns_capable/);
    run.ok(setns(fdOf(3)));
    expect(run.state.tasks[INIT]).toMatchObject({ mntNs: 2, userNs: 1 });
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = withChildNamespace();
    expect(run.fails(setns(fdOf(3), 'CLONE_NEWNS', task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
  it('stays total under the nsfs-prune-keeps-stash seeded bug: a file on a freed namespace gets EINVAL', () => {
    const run = new Run({ bug: 'nsfs-prune-keeps-stash' });
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
    run.ok(open('/proc/2/ns/mnt'));
    run.ok({ type: 'close', task: INIT, fd: fdOf(3) }); // the stash keeps pointing at the dead dentry
    run.ok(open('/proc/2/ns/mnt')); // reused without the namespace reference a new inode takes
    run.ok({ type: 'exit', task: CHILD }); // namespace 2 is freed under the open file
    expect(ns(run, 2)).toBeUndefined();
    expect(run.fails(setns(fdOf(3)), 'EINVAL')).toMatch(/namespace freed/);
    // no run.sound(): the seeded bug has broken the invariants on purpose
  });
});
