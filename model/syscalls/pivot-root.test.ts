// pivot_root(2): the tree surgery and chroot_fs_refs() of a successful call, pivot_root(".", ".")
// followed by umount2(".", MNT_DETACH), the MNT_LOCKED transfer, every errno with the check that
// returns it (in the kernel's order), and the seeded bug of K04 (CVE-2014-7970).
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Draft } from 'immer';
import type { Event, Path, State, TaskId, UmountFlag } from '../index.js';
import { mountId } from '../index.js';
import { checkInvariants } from '../../properties/invariants/index.js';
import { INIT, Run, at, bind, clone, cloneNewns, dropCaps, fdOf, fsOf, mkdir, mknod, mnt, mntCount, ns, open, task, tmpfs } from '../test-helpers.js';

const pivotRoot = (new_root: string, put_old: string, actor: TaskId = INIT): Event =>
  ({ type: 'pivot_root', task: actor, new_root, put_old });
const chdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'chdir', task: actor, path });
const chroot = (path: string, actor: TaskId = INIT): Event => ({ type: 'chroot', task: actor, path });
const rmdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'rmdir', task: actor, path });
const umount = (target: string, flags: UmountFlag[] = [], actor: TaskId = INIT): Event =>
  ({ type: 'umount2', task: actor, target, flags });
const makeShared = (target: string): Event =>
  ({ type: 'mount', task: INIT, source: null, target, fstype: null, flags: ['MS_SHARED'] });

const ROOTFS = 1;
const REAL_ROOT = 2;
const PROC = 3;
const NEW = 5; // the first mount a test makes

/** /tmp/new: a tmpfs (mount 5) with a directory "old" in it. */
function withNewRoot(run: Run = new Run()): Run {
  run.ok(mkdir('/tmp/new'));
  run.ok(tmpfs('/tmp/new'));
  run.ok(mkdir('/tmp/new/old'));
  return run;
}

/** Change the state by hand, for a flag no syscall of the model can set yet. */
function handEdit(run: Run, edit: (draft: Draft<State>) => void): void {
  run.state = produce(run.state, edit);
}

/**
 * The task's root on the namespace root (rootfs), as on a host without an initramfs pivot:
 * umount2("/", MNT_DETACH) uncovers rootfs and setns() into the own namespace sets root and cwd
 * to it; a tmpfs is then mounted on top of it. Experiment on 6.18: pivot_root("/..", "/..") EINVAL.
 */
function rootOnRootfs(): Run {
  const run = new Run();
  const fd = run.ok(open('/proc/self/ns/mnt'));
  run.ok(umount('/', ['MNT_DETACH']));
  run.ok({ type: 'setns', task: INIT, fd: fdOf(fd), nstype: 'CLONE_NEWNS' });
  run.ok(tmpfs('/'));
  return run;
}

const rootOf = (run: Run, pid: TaskId = INIT): Path | undefined => fsOf(run, pid)?.root;
const pwdOf = (run: Run, pid: TaskId = INIT): Path | undefined => fsOf(run, pid)?.pwd;
/** The root of a mount, as a path. */
function rootPath(run: Run, id: number): Path {
  const mount = mnt(run, id);
  if (mount === undefined) throw new Error(`no mount ${id}`);
  return { mnt: mount.id, dentry: mount.mnt_root };
}

describe('pivot_root(2) that succeeds', () => {
  it('hangs new_root\'s mount where the root mount was and the old root mount on put_old', () => {
    const run = withNewRoot();
    const mountedOn = mnt(run, NEW)?.mnt_mountpoint; // /tmp/new on the old root
    const oldDir = at(run, '/tmp/new/old');
    const rootfsRoot = mnt(run, ROOTFS)?.mnt_root;
    if (mountedOn === undefined || mountedOn === null || rootfsRoot === undefined) throw new Error('boot layout');
    expect(run.ok(pivotRoot('/tmp/new', '/tmp/new/old'))).toBe(0);
    expect(mnt(run, NEW)).toMatchObject({ mnt_parent: ROOTFS, mnt_mountpoint: rootfsRoot, mnt_mounts: [REAL_ROOT] });
    expect(mnt(run, REAL_ROOT)).toMatchObject({ mnt_parent: NEW, mnt_mountpoint: oldDir.dentry, mnt_mounts: [PROC] });
    expect(mnt(run, ROOTFS)?.mnt_mounts).toEqual([NEW]);
    // struct mountpoint: /tmp/new is no longer one, old is, rootfs's root still is (once)
    expect(run.state.mountpoints[mountedOn]).toBeUndefined();
    expect(run.state.mountpoints[oldDir.dentry]?.m_count).toBe(1);
    expect(run.state.mountpoints[rootfsRoot]?.m_count).toBe(1);
    // chroot_fs_refs(): the caller's root and cwd were the old root; both references moved
    expect(rootOf(run)).toEqual(rootPath(run, NEW));
    expect(pwdOf(run)).toEqual(rootPath(run, NEW));
    expect([mntCount(run, REAL_ROOT), mntCount(run, NEW)]).toEqual([1, 3]);
    expect(at(run, '/old/proc').mnt).toBe(PROC);
    expect(ns(run, 1)?.nr_mounts).toBe(4);
    run.sound();
  });

  it('moves the root and cwd of every task whose root or cwd was exactly the old root (chroot_fs_refs)', () => {
    const run = withNewRoot();
    const plain = task(run.ok(clone())); // root and cwd "/"
    const elsewhere = task(run.ok(clone())); // root "/", cwd /tmp
    run.ok(chdir('/tmp', elsewhere));
    const sharing = task(run.ok(clone(['CLONE_FS']))); // shares the caller's fs_struct
    const foreign = task(run.ok(cloneNewns())); // root and cwd on the copy of "/" in another namespace
    const foreignRoot = rootOf(run, foreign);
    run.ok(chdir('/mnt')); // the caller's own cwd is elsewhere: it stays
    const mntDir = at(run, '/mnt');
    const tmpDir = at(run, '/tmp');
    run.ok(pivotRoot('/tmp/new', '/tmp/new/old'));
    const newRoot = rootPath(run, NEW);
    expect([rootOf(run, plain), pwdOf(run, plain)]).toEqual([newRoot, newRoot]);
    expect([rootOf(run, elsewhere), pwdOf(run, elsewhere)]).toEqual([newRoot, tmpDir]);
    expect([rootOf(run), pwdOf(run)]).toEqual([newRoot, mntDir]);
    expect(fsOf(run, sharing)).toBe(fsOf(run, INIT));
    expect([rootOf(run, foreign), pwdOf(run, foreign)]).toEqual([foreignRoot, foreignRoot]);
    // old root: the tree, the caller's cwd (/mnt) and the cwd of `elsewhere` (/tmp)
    expect(mntCount(run, REAL_ROOT)).toBe(3);
    // new root: the tree, the roots of 3 fs_structs and the cwd of `plain`
    expect(mntCount(run, NEW)).toBe(5);
    run.sound();
  });

  it.each([
    ['a tmpfs', (run: Run) => run.ok(tmpfs('/tmp/new'))],
    ['a bind mount of itself', (run: Run) => run.ok(bind('/tmp/new', '/tmp/new'))],
  ])('pivot_root(".", ".") in %s stacks the old root on the new one; umount2(".", MNT_DETACH) removes it', (_name, mountIt) => {
    const run = new Run();
    run.ok(mkdir('/tmp/new'));
    mountIt(run);
    run.ok(chdir('/tmp/new'));
    const newRoot = rootPath(run, NEW);
    run.ok(pivotRoot('.', '.'));
    expect(mnt(run, REAL_ROOT)).toMatchObject({ mnt_parent: NEW, mnt_mountpoint: newRoot.dentry });
    expect(mnt(run, NEW)).toMatchObject({ mnt_parent: ROOTFS, mnt_mounts: [REAL_ROOT] });
    expect([rootOf(run), pwdOf(run)]).toEqual([newRoot, newRoot]);
    run.sound();
    // umount2(".") with LOOKUP_MOUNTPOINT reaches the old root stacked on the cwd
    run.ok(umount('.', ['MNT_DETACH']));
    expect([mnt(run, REAL_ROOT), mnt(run, PROC)]).toEqual([undefined, undefined]);
    expect(mnt(run, NEW)?.mnt_mounts).toEqual([]);
    expect(mnt(run, ROOTFS)?.mnt_mounts).toEqual([NEW]);
    expect(at(run, '/')).toEqual(newRoot);
    expect(rootOf(run)).toEqual(newRoot);
    expect(ns(run, 1)?.nr_mounts).toBe(2);
    run.sound();
  });

  it('puts the old root on the topmost mount at put_old (lock_mount), which is reachable from new_root', () => {
    const run = withNewRoot();
    run.ok(tmpfs('/tmp/new/old')); // 6, on new_root's mount
    run.ok(pivotRoot('/tmp/new', '/tmp/new/old'));
    expect(mnt(run, REAL_ROOT)).toMatchObject({ mnt_parent: 6, mnt_mountpoint: mnt(run, 6)?.mnt_root });
    expect(mnt(run, 6)?.mnt_parent).toBe(NEW);
    expect(at(run, '/old/tmp').mnt).toBe(REAL_ROOT);
    run.sound();
  });

  it('moves MNT_LOCKED from the old root mount to the new one', () => {
    const run = withNewRoot();
    handEdit(run, (draft) => {
      const root = draft.mounts[mountId(REAL_ROOT)];
      if (root !== undefined) root.flags.locked = true;
    });
    run.ok(pivotRoot('/tmp/new', '/tmp/new/old'));
    expect([mnt(run, NEW)?.flags.locked, mnt(run, REAL_ROOT)?.flags.locked]).toEqual([true, false]);
    run.sound();
  });
});

describe('pivot_root(2) that fails, in the kernel\'s order of checks', () => {
  it('fails EPERM at may_mount without CAP_SYS_ADMIN, before any lookup', () => {
    const run = withNewRoot();
    run.ok(dropCaps);
    expect(run.fails(pivotRoot('/tmp/new', '/tmp/new/old'), 'EPERM')).toBe('pivot_root: !may_mount()');
    expect(run.fails(pivotRoot('/missing', '/missing'), 'EPERM')).toBe('pivot_root: !may_mount()');
  });

  it('fails ENOENT when new_root does not exist, and ENOTDIR when it is a file or an nsfs file', () => {
    const run = withNewRoot();
    run.ok(mknod('/tmp/f'));
    run.fails(pivotRoot('/missing', '/tmp/new/old'), 'ENOENT');
    expect(run.fails(pivotRoot('/tmp/f', '/tmp/new/old'), 'ENOTDIR')).toMatch(/LOOKUP_DIRECTORY/);
    expect(run.fails(pivotRoot('/proc/self/ns/mnt', '/tmp/new/old'), 'ENOTDIR')).toMatch(/nsfs/);
  });

  it('fails ENOENT / ENOTDIR when put_old does not exist or is a file; new_root is looked up first', () => {
    const run = withNewRoot();
    run.ok(mknod('/tmp/f'));
    run.fails(pivotRoot('/tmp/new', '/tmp/new/missing'), 'ENOENT');
    run.fails(pivotRoot('/tmp/new', '/tmp/f'), 'ENOTDIR');
    run.fails(pivotRoot('/tmp/f', '/tmp/new/missing'), 'ENOTDIR');
  });

  it('fails ENOENT at lock_mount when put_old is on a lazily unmounted mount (experiment 25)', () => {
    const run = withNewRoot();
    run.ok(tmpfs('/mnt'));
    run.ok(chdir('/mnt'));
    run.ok(umount('/mnt', ['MNT_DETACH']));
    expect(run.fails(pivotRoot('/tmp/new', '.'), 'ENOENT')).toBe('lock_mount: target mount is not mounted');
  });

  it('fails ENOENT at lock_mount when put_old was removed (cant_mount)', () => {
    const run = withNewRoot();
    run.ok(mkdir('/tmp/new/gone'));
    run.ok(chdir('/tmp/new/gone'));
    run.ok(rmdir('/tmp/new/gone'));
    expect(run.fails(pivotRoot('/tmp/new', '.'), 'ENOENT')).toBe('lock_mount: cant_mount(dentry)');
  });

  it('fails EINVAL when put_old\'s mount (after lock_mount) is shared', () => {
    const run = withNewRoot();
    run.ok(makeShared('/tmp/new'));
    expect(run.fails(pivotRoot('/tmp/new', '/tmp/new/old'), 'EINVAL')).toBe('pivot_root: IS_MNT_SHARED(old_mnt)');
  });

  it('fails EINVAL when new_root\'s parent mount is shared', () => {
    const run = withNewRoot();
    run.ok(makeShared('/'));
    expect(mnt(run, NEW)?.mnt_group_id).toBeNull();
    expect(run.fails(pivotRoot('/tmp/new', '/tmp/new/old'), 'EINVAL')).toBe('pivot_root: IS_MNT_SHARED(new_mnt->mnt_parent)');
  });

  it('fails EINVAL when the root mount\'s parent is shared', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt')); // 5: the caller's root after chroot
    run.ok(mkdir('/mnt/new'));
    run.ok(tmpfs('/mnt/new')); // 6
    run.ok(mkdir('/mnt/new/old'));
    run.ok(makeShared('/'));
    run.ok(chroot('/mnt'));
    expect([mnt(run, 5)?.mnt_group_id, mnt(run, 6)?.mnt_group_id]).toEqual([null, null]);
    expect(run.fails(pivotRoot('/new', '/new/old'), 'EINVAL')).toBe('pivot_root: IS_MNT_SHARED(root_mnt->mnt_parent)');
  });

  it('fails EINVAL when the caller\'s root mount is not in its namespace (check_mnt)', () => {
    const run = withNewRoot();
    const child = task(run.ok(cloneNewns()));
    run.ok(chroot(`/proc/${child}/root`));
    expect(run.fails(pivotRoot('/tmp/new', '/tmp/new/old'), 'EINVAL')).toBe('pivot_root: !check_mnt(root_mnt)');
  });

  it('fails EINVAL when new_root\'s mount is not in the caller\'s namespace (check_mnt)', () => {
    const run = withNewRoot();
    const child = task(run.ok(cloneNewns()));
    expect(run.fails(pivotRoot(`/proc/${child}/root/tmp/new`, '/tmp/new/old'), 'EINVAL')).toBe('pivot_root: !check_mnt(new_mnt)');
  });

  it('fails EINVAL when new_root\'s mount is MNT_LOCKED', () => {
    const run = withNewRoot();
    handEdit(run, (draft) => {
      const mount = draft.mounts[mountId(NEW)];
      if (mount !== undefined) mount.flags.locked = true;
    });
    expect(run.fails(pivotRoot('/tmp/new', '/tmp/new/old'), 'EINVAL')).toBe('pivot_root: new_mnt is MNT_LOCKED');
  });

  it('fails ENOENT when new_root was removed (d_unlinked), before the EBUSY of new_mnt == root_mnt', () => {
    const run = new Run();
    run.ok(mkdir('/tmp/d'));
    run.ok(chdir('/tmp/d'));
    run.ok(rmdir('/tmp/d'));
    expect(run.fails(pivotRoot('.', '/tmp'), 'ENOENT')).toBe('pivot_root: d_unlinked(new.dentry)');
  });

  it('fails EBUSY when new_root is on the root mount: pivot_root(".", ".") in "/" (experiment 25)', () => {
    const run = withNewRoot();
    expect(run.fails(pivotRoot('.', '.'), 'EBUSY')).toBe('pivot_root: new_mnt == root_mnt');
    expect(run.fails(pivotRoot('/', '/tmp/new/old'), 'EBUSY')).toBe('pivot_root: new_mnt == root_mnt');
  });

  it('fails EBUSY when put_old is on the root mount', () => {
    const run = withNewRoot();
    expect(run.fails(pivotRoot('/tmp/new', '/tmp'), 'EBUSY')).toBe('pivot_root: old_mnt == root_mnt');
  });

  it('fails EINVAL when the caller\'s root is not the root of its mount (chroot into a directory)', () => {
    const run = new Run();
    run.ok(mkdir('/tmp/jail'));
    run.ok(mkdir('/tmp/jail/new'));
    run.ok(tmpfs('/tmp/jail/new'));
    run.ok(mkdir('/tmp/jail/new/old'));
    run.ok(chroot('/tmp/jail'));
    expect(run.fails(pivotRoot('/new', '/new/old'), 'EINVAL')).toBe('pivot_root: !path_mounted(&root)');
  });

  it('fails EINVAL when the root mount has no parent: the root is rootfs, the namespace root', () => {
    const run = rootOnRootfs();
    expect(rootOf(run)?.mnt).toBe(ROOTFS);
    // "/.." steps down onto the tmpfs mounted on "/" (follow_dotdot at the root, then handle_mounts)
    expect(run.fails(pivotRoot('/..', '/..'), 'EINVAL')).toBe('pivot_root: !mnt_has_parent(root_mnt)');
  });

  it('fails EINVAL when new_root is not the root of its mount', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/new'));
    run.ok(mkdir('/mnt/new/old'));
    expect(run.fails(pivotRoot('/mnt/new', '/mnt/new/old'), 'EINVAL')).toBe('pivot_root: !path_mounted(&new)');
  });

  it('fails EINVAL when new_root\'s mount has no parent: new_root is rootfs', () => {
    const run = rootOnRootfs();
    run.ok(chroot('/..')); // root: the tmpfs on "/"; cwd stays on rootfs
    run.ok(mkdir('/x'));
    run.ok(tmpfs('/x'));
    expect(pwdOf(run)?.mnt).toBe(ROOTFS);
    expect(run.fails(pivotRoot('.', '/x'), 'EINVAL')).toBe('pivot_root: !mnt_has_parent(new_mnt)');
  });

  it('fails EINVAL when put_old is not at or under new_root', () => {
    const run = withNewRoot();
    run.ok(tmpfs('/mnt'));
    expect(run.fails(pivotRoot('/tmp/new', '/mnt'), 'EINVAL')).toBe('pivot_root: !is_path_reachable(old_mnt, old.dentry, &new)');
  });

  it('fails EINVAL when new_root is not under the caller\'s root (K04, CVE-2014-7970)', () => {
    const run = k04();
    expect(run.fails(pivotRoot('.', '.'), 'EINVAL')).toBe('pivot_root: !is_path_reachable(new_mnt, new.dentry, &root)');
    run.sound();
  });
});

/** K04: tmpfs A on /mnt, tmpfs B on /mnt/b; cwd A's root, root B's root (a mount below A). */
function k04(run: Run = new Run()): Run {
  run.ok(tmpfs('/mnt')); // A: 5
  run.ok(mkdir('/mnt/b'));
  run.ok(tmpfs('/mnt/b')); // B: 6
  run.ok(chdir('/mnt'));
  run.ok(chroot('b'));
  return run;
}

describe('seeded bug pivot-root-skips-reachability (K04)', () => {
  it('hangs A under itself: the parent chain loops and A and B no longer reach the namespace root', () => {
    const run = k04(new Run({ bug: 'pivot-root-skips-reachability' }));
    run.ok(pivotRoot('.', '.'));
    expect(mnt(run, 5)?.mnt_parent).toBe(5);
    expect(mnt(run, 6)?.mnt_parent).toBe(5);
    const broken = checkInvariants(run.state).filter((violation) => violation.invariant === 'mount-tree-well-formed');
    expect(broken.map((violation) => violation.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/mount 5 is its own ancestor/)]),
    );
  });
});
