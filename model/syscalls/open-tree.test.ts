// open_tree(2): vfs_open_tree()'s checks in order, the O_PATH fd without OPEN_TREE_CLONE, the
// detached copy of open_detached_copy() with __do_loopback()'s checks, and dissolve_on_fput() when
// the last reference to the fd goes (close, dup, SCM_RIGHTS, exit), with mounts pinned by a cwd.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Dirfd, Event, MountFlags, MountId, OpenTreeFlag, PathFile, TaskId } from '../index.js';
import { mountId } from '../index.js';
import { INIT, Run, at, bind, cloneNewns, close, dropCaps, fdOf, fdt, mkdir, mknod, mnt, ns, open, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const openTree = (path: string, flags: OpenTreeFlag[] = [], dfd: Dirfd = 'AT_FDCWD', actor: TaskId = INIT): Event =>
  ({ type: 'open_tree', task: actor, dfd, path, flags });
const cloneTree = (path: string, recursive = false, actor: TaskId = INIT): Event =>
  openTree(path, recursive ? ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] : ['OPEN_TREE_CLONE'], 'AT_FDCWD', actor);
/** open_tree(fd, "", OPEN_TREE_CLONE | AT_EMPTY_PATH [| AT_RECURSIVE]). */
const cloneFd = (fd: number, recursive = false, actor: TaskId = INIT): Event =>
  openTree('', ['OPEN_TREE_CLONE', 'AT_EMPTY_PATH', ...(recursive ? ['AT_RECURSIVE' as const] : [])], fdOf(fd), actor);
const umountLazy = (target: string): Event => ({ type: 'umount2', task: INIT, target, flags: ['MNT_DETACH'] });

/** The struct file behind a descriptor of a task. */
function fileOf(run: Run, fd: number, actor: TaskId = INIT): PathFile {
  const id = fdt(run, actor)?.[fdOf(fd)];
  const found = id === undefined ? undefined : run.state.files[id];
  if (found === undefined || found.kind !== 'path') throw new Error(`fd ${fd} is not a path file`);
  return found;
}
/** The first and second fd a successful socketpair or recvmsg installed. */
function createdFds(run: Run, event: Event): [number, number] {
  const result = run.do(event);
  if (!result.ok) throw new Error(`${event.type} failed: ${result.errno} (${result.check})`);
  const [first, second] = result.fds ?? [];
  if (first === undefined) throw new Error(`${event.type} installed no fd`);
  return [first, second ?? -1];
}
/** The mount an fd's file is on. */
const mountOf = (run: Run, fd: number, actor: TaskId = INIT): MountId => fileOf(run, fd, actor).f_path.mnt;
/** The mounts of a namespace, in id order. */
const mountsIn = (run: Run, nsId: number): MountId[] =>
  Object.values(run.state.mounts).filter((mount) => mount.mnt_ns === nsId).map((mount) => mount.id);
/** Give a mount flags the model can only reach with user namespaces (MNT_LOCKED, MNT_LOCK_*). */
function setFlags(run: Run, id: number, flags: Partial<MountFlags>): void {
  run.state = produce(run.state, (draft) => {
    const mount = draft.mounts[mountId(id)];
    if (mount !== undefined) Object.assign(mount.flags, flags);
  });
}

describe('open_tree(2) without OPEN_TREE_CLONE', () => {
  it('returns an O_PATH fd on the mount at the path, holding one mount reference', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const fd = run.ok(openTree('/mnt'));
    expect(fd).toBe(3);
    expect(fileOf(run, fd)).toMatchObject({ f_path: at(run, '/mnt'), fmodePath: true, needUnmount: false, f_count: 1 });
    expect(mnt(run, 5)?.mnt_count).toBe(2);
    run.ok(close(fd));
    expect(mnt(run, 5)?.mnt_count).toBe(1);
    run.sound();
  });
  it('works without CAP_SYS_ADMIN and on a mount of another namespace (/proc/<pid>/root)', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(dropCaps);
    const fd = run.ok(openTree('/proc/2/root/mnt'));
    expect(fileOf(run, fd).f_path).toEqual(at(run, '/mnt', CHILD));
    run.sound();
  });
  it('of /proc/self/ns/mnt is an O_PATH file on the nsfs dentry of the namespace', () => {
    const run = new Run();
    const fd = run.ok(openTree('/proc/self/ns/mnt'));
    const stashed = ns(run, 1)?.stashed;
    expect(fileOf(run, fd).f_path).toEqual({ mnt: run.state.nsfsMnt, dentry: stashed });
    run.ok(close(fd));
    expect(ns(run, 1)?.stashed).toBeNull();
    run.sound();
  });
  it('resolves a relative path from a dirfd, and an empty one with AT_EMPTY_PATH', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const dir = run.ok(open('/', ['O_PATH']));
    const fd = run.ok(openTree('mnt', [], fdOf(dir)));
    expect(mountOf(run, fd)).toBe(5);
    const again = run.ok(openTree('', ['AT_EMPTY_PATH'], fdOf(fd)));
    expect(fileOf(run, again).f_path).toEqual(fileOf(run, fd).f_path);
    run.sound();
  });
});

describe('open_tree(2): the checks of vfs_open_tree() in order', () => {
  it('fails EINVAL for AT_RECURSIVE without OPEN_TREE_CLONE, before the capability check', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(openTree('/mnt', ['AT_RECURSIVE']), 'EINVAL')).toMatch(/AT_RECURSIVE without OPEN_TREE_CLONE/);
  });
  it('fails EPERM for OPEN_TREE_CLONE without CAP_SYS_ADMIN, before the path is looked up (may_mount)', () => {
    const run = new Run();
    run.ok(dropCaps);
    expect(run.fails(cloneTree('/nonexistent'), 'EPERM')).toMatch(/may_mount/);
  });
  it('fails ENOENT for a missing path, and for an empty path without AT_EMPTY_PATH', () => {
    const run = new Run();
    run.fails(openTree('/nonexistent'), 'ENOENT');
    const fd = run.ok(open('/mnt', ['O_PATH']));
    expect(run.fails(openTree('', [], fdOf(fd)), 'ENOENT')).toMatch(/getname/);
    expect(run.fails(openTree('', ['OPEN_TREE_CLONE'], fdOf(fd)), 'ENOENT')).toMatch(/getname/);
  });
  it('fails EBADF for a dirfd that is not open, ENOTDIR for a relative path under a file', () => {
    const run = new Run();
    run.fails(openTree('mnt', [], fdOf(7)), 'EBADF');
    run.fails(openTree('', ['AT_EMPTY_PATH', 'OPEN_TREE_CLONE'], fdOf(7)), 'EBADF');
    run.ok(mknod('/tmp/f'));
    const reg = run.ok(open('/tmp/f', ['O_PATH']));
    run.fails(openTree('x', [], fdOf(reg)), 'ENOTDIR');
    // an absolute path ignores the dirfd
    expect(mountOf(run, run.ok(openTree('/mnt', [], fdOf(7))))).toBe(2);
  });
  it('fails ENOENT for a procfs directory, which the model has no dentry for', () => {
    const run = new Run();
    expect(run.fails(openTree('/proc/1'), 'ENOENT')).toMatch(/^model:/);
    expect(run.fails(cloneTree('/proc/self/ns'), 'ENOENT')).toMatch(/^model:/);
  });
  it('refuses a socket as the object itself (the sockfs mount is not modelled), ENOTDIR below it', () => {
    const run = new Run();
    run.ok({ type: 'socketpair', task: INIT });
    expect(run.fails(openTree('', ['AT_EMPTY_PATH', 'OPEN_TREE_CLONE'], fdOf(3)), 'EINVAL')).toMatch(/^model:/);
    run.fails(openTree('x', [], fdOf(3)), 'ENOTDIR');
  });
});

describe('open_tree(2) with OPEN_TREE_CLONE: the detached copy', () => {
  it('clones the one mount into a new anonymous namespace, and the fd holds its root', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    const fd = run.ok(cloneTree('/mnt'));
    const copy = mountOf(run, fd);
    expect(copy).toBe(7);
    expect(mnt(run, 7)).toMatchObject({ mnt_sb: 5, mnt_root: at(run, '/mnt').dentry, mnt_parent: null, mnt_mounts: [], mnt_count: 2 });
    expect(mnt(run, 7)?.mnt_ns).toBe(2);
    expect(ns(run, 2)).toMatchObject({ anon: true, seq: 0, seq_origin: 1, root: 7, nr_mounts: 1, count: 1, user_ns: 1 });
    expect(fileOf(run, fd)).toMatchObject({ fmodePath: true, needUnmount: true, f_count: 1 });
    expect(run.state.superBlocks[mnt(run, 7)?.mnt_sb ?? (0 as never)]?.s_active).toBe(2);
    run.sound();
  });
  it('of a subdirectory is rooted at that dentry', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    const fd = run.ok(cloneTree('/mnt/a'));
    expect(fileOf(run, fd).f_path).toEqual({ mnt: 5, dentry: at(run, '/mnt/a').dentry });
    expect(mnt(run, 5)?.mnt_root).toBe(at(run, '/mnt/a').dentry);
    run.sound();
  });
  it('with AT_RECURSIVE copies the subtree below the path, nsfs mounts included (CL_COPY_MNT_NS_FILE)', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok(mknod('/mnt/f'));
    run.ok(bind('/proc/2/ns/mnt', '/mnt/f'));
    const fd = run.ok(cloneTree('/mnt', true));
    const copies = mountsIn(run, 3);
    expect(copies).toHaveLength(3);
    const root = mountOf(run, fd);
    expect(ns(run, 3)).toMatchObject({ anon: true, root, nr_mounts: 3, seq_origin: 1 });
    const children = mnt(run, root)?.mnt_mounts ?? [];
    expect(children.map((id) => run.state.dentries[mnt(run, id)?.mnt_root ?? (0 as never)]?.kind).sort()).toEqual(['dir', 'nsfs']);
    run.ok(close(fd));
    expect(mountsIn(run, 3)).toEqual([]);
    run.sound();
  });
  it('with AT_RECURSIVE prunes unbindable children, and copies a locked child locked', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(mkdir('/mnt/b'));
    run.ok(tmpfs('/mnt/a'));
    run.ok(tmpfs('/mnt/b'));
    run.ok({ type: 'mount', task: INIT, source: null, target: '/mnt/a', fstype: null, flags: ['MS_UNBINDABLE'] });
    setFlags(run, 7, { locked: true });
    const fd = run.ok(cloneTree('/mnt', true));
    const root = mountOf(run, fd);
    const children = mnt(run, root)?.mnt_mounts ?? [];
    expect(children.map((id) => mnt(run, id)?.mnt_sb)).toEqual([7]);
    expect(children.map((id) => mnt(run, id)?.flags.locked)).toEqual([true]);
    expect(mnt(run, root)?.flags.locked).toBe(false);
  });
  it('the copy of a shared mount is a peer of it (clone_mnt without CL_ flags)', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'mount', task: INIT, source: null, target: '/mnt', fstype: null, flags: ['MS_SHARED'] });
    const group = mnt(run, 5)?.mnt_group_id;
    expect(group).not.toBeNull();
    const fd = run.ok(cloneTree('/mnt'));
    expect(mnt(run, mountOf(run, fd))?.mnt_group_id).toBe(group);
    run.sound();
  });
  it('of /proc/self/ns/mnt clones the internal nsfs mount at the nsfs dentry; the loop rule is left to the attach', () => {
    const run = new Run();
    const fd = run.ok(cloneTree('/proc/self/ns/mnt'));
    const copy = mountOf(run, fd);
    const stashed = ns(run, 1)?.stashed ?? null;
    expect(mnt(run, copy)).toMatchObject({ mnt_sb: mnt(run, run.state.nsfsMnt)?.mnt_sb, mnt_root: stashed });
    expect(ns(run, 2)).toMatchObject({ anon: true, seq_origin: 0 });
    // the dentry is held by the copy and by the file
    expect(stashed === null ? undefined : run.state.dentries[stashed]).toMatchObject({ kind: 'nsfs', d_count: 2 });
    run.ok(close(fd));
    expect(ns(run, 1)?.stashed).toBeNull();
    expect(mnt(run, copy)).toBeUndefined();
    run.sound();
  });
  it('of a detached tree made from the caller\'s namespace is allowed (check_anonymous_mnt), root or not', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    const first = run.ok(cloneTree('/mnt', true));
    const second = run.ok(cloneFd(first));
    expect(ns(run, 3)).toMatchObject({ anon: true, seq_origin: 1, nr_mounts: 1 });
    const inner = run.ok(openTree('a', ['OPEN_TREE_CLONE'], fdOf(first)));
    expect(mnt(run, mountOf(run, inner))?.mnt_sb).toBe(6);
    expect(ns(run, 4)).toMatchObject({ anon: true, seq_origin: 1 });
    for (const fd of [first, second, inner]) run.ok(close(fd));
    expect(Object.values(run.state.mntNamespaces).map((namespace) => namespace.id)).toEqual([1]);
    run.sound();
  });
  it('fails EINVAL for a detached tree made from another namespace; an fsmount() tree (seq_origin 0) is fine', () => {
    const run = new Run();
    const fd = run.ok(cloneTree('/mnt'));
    const context = run.ok({ type: 'fsopen', task: INIT, fsname: 'tmpfs' });
    run.ok({ type: 'fsconfig', task: INIT, fd: fdOf(context), cmd: 'FSCONFIG_CMD_CREATE' });
    const fsFd = run.ok({ type: 'fsmount', task: INIT, fd: fdOf(context), attr: [] });
    run.ok(cloneNewns()); // the child inherits the fds, and lives in namespace 4
    expect(run.fails(cloneFd(fd, false, CHILD), 'EINVAL')).toMatch(/may_copy_tree/);
    const copy = run.ok(cloneFd(fsFd, false, CHILD));
    expect(ns(run, 5)).toMatchObject({ anon: true, seq_origin: 0, user_ns: 1 });
    expect(mountOf(run, copy, CHILD)).toBe(10); // after the copies 7-9 of namespace 4
    run.sound();
  });
  it('fails EINVAL for a mount of another namespace (/proc/<pid>/root) and a lazily unmounted one', () => {
    const run = new Run();
    run.ok(cloneNewns());
    expect(run.fails(cloneTree('/proc/2/root/mnt'), 'EINVAL')).toMatch(/may_copy_tree/);
    run.ok(tmpfs('/mnt'));
    const fd = run.ok(open('/mnt', ['O_PATH']));
    run.ok(umountLazy('/mnt'));
    expect(run.fails(cloneFd(fd), 'EINVAL')).toMatch(/may_copy_tree/);
    expect(run.fails(cloneFd(fd, true), 'EINVAL')).toMatch(/may_copy_tree/);
  });
  it('fails EINVAL for an unbindable source, before may_copy_tree', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'mount', task: INIT, source: null, target: '/mnt', fstype: null, flags: ['MS_UNBINDABLE'] });
    expect(run.fails(cloneTree('/mnt'), 'EINVAL')).toMatch(/IS_MNT_UNBINDABLE/);
    expect(run.fails(cloneTree('/mnt', true), 'EINVAL')).toMatch(/IS_MNT_UNBINDABLE/);
  });
  it('non-recursive fails EINVAL when a locked mount sits under the path (__has_locked_children)', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(mkdir('/mnt/a/b'));
    run.ok(tmpfs('/mnt/a/b'));
    setFlags(run, 5, { locked: true });
    expect(run.fails(cloneTree('/mnt'), 'EINVAL')).toMatch(/__has_locked_children/);
    expect(run.fails(cloneTree('/mnt/a'), 'EINVAL')).toMatch(/__has_locked_children/);
    run.ok(mkdir('/tmp/c'));
    expect(run.ok(cloneTree('/tmp'))).toBe(3); // the locked mount is not under /tmp
    expect(run.ok(cloneTree('/mnt', true))).toBe(4); // a recursive copy takes it along
  });
  it('recursive fails EPERM for an unbindable child that is locked (copy_tree)', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok({ type: 'mount', task: INIT, source: null, target: '/mnt/a', fstype: null, flags: ['MS_UNBINDABLE'] });
    setFlags(run, 5, { locked: true });
    expect(run.fails(cloneTree('/', true), 'EPERM')).toMatch(/copy_tree/);
    // non-recursive, the locked child is found first
    expect(run.fails(cloneTree('/'), 'EINVAL')).toMatch(/__has_locked_children/);
  });
});

describe('dissolve_on_fput(): the last close of an OPEN_TREE_CLONE fd', () => {
  function detachedTree(run: Run): number {
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    return run.ok(cloneTree('/mnt', true)); // copies 7 (root) and 8 (on a), in namespace 2
  }

  it('frees every mount of the tree, the anonymous namespace, and nothing of the source', () => {
    const run = new Run();
    const fd = detachedTree(run);
    expect(mountsIn(run, 2)).toEqual([7, 8]);
    run.ok(close(fd));
    expect([mnt(run, 7), mnt(run, 8), ns(run, 2)]).toEqual([undefined, undefined, undefined]);
    expect([mnt(run, 5)?.mnt_count, mnt(run, 6)?.mnt_count]).toEqual([1, 1]);
    expect(run.state.superBlocks[5 as never]).toMatchObject({ s_active: 1 });
    run.sound();
  });
  it('also runs when the task exits with the fd open', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok(tmpfs('/mnt'));
    const fd = run.ok(cloneTree('/mnt', false, CHILD));
    expect(mnt(run, mountOf(run, fd, CHILD))).toBeDefined();
    run.ok({ type: 'exit', task: CHILD });
    expect(mnt(run, 6)).toBeUndefined();
    expect(ns(run, 2)).toBeUndefined();
    run.sound();
  });
  it('with a cwd on the tree\'s root, the root survives (detached) until the cwd moves', () => {
    const run = new Run();
    const fd = detachedTree(run);
    run.ok({ type: 'fchdir', task: INIT, fd: fdOf(fd) });
    run.ok(close(fd));
    expect(ns(run, 2)).toBeUndefined();
    expect(mnt(run, 7)).toMatchObject({ mnt_ns: null, mnt_count: 1 });
    // UMOUNT_CONNECTED: the child stays hung on the root, holding its tree reference
    expect(mnt(run, 8)).toMatchObject({ mnt_ns: null, mnt_parent: 7, mnt_count: 1 });
    run.sound();
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    expect([mnt(run, 7), mnt(run, 8)]).toEqual([undefined, undefined]);
    run.sound();
  });
  it('with a cwd on a mount below the root, that mount alone survives', () => {
    const run = new Run();
    const fd = detachedTree(run);
    run.ok({ type: 'chdir', task: INIT, path: `/proc/self/fd/${fd}/a` });
    expect(fsCwdMount(run)).toBe(8);
    run.ok(close(fd));
    expect(mnt(run, 7)).toBeUndefined();
    expect(mnt(run, 8)).toMatchObject({ mnt_ns: null, mnt_parent: null, mnt_count: 1 });
    run.sound();
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    expect(mnt(run, 8)).toBeUndefined();
    run.sound();
  });
  it('a dup\'d fd shares the struct file: the tree dissolves at the last close only', () => {
    const run = new Run();
    const fd = detachedTree(run);
    const copy = run.ok({ type: 'dup', task: INIT, fd: fdOf(fd) });
    run.ok(close(fd));
    expect(ns(run, 2)).toMatchObject({ root: 7, nr_mounts: 2 });
    run.ok(close(copy));
    expect(ns(run, 2)).toBeUndefined();
    expect(mnt(run, 7)).toBeUndefined();
    run.sound();
  });
  it('an fd in flight in SCM_RIGHTS keeps the tree; the receiver\'s close dissolves it', () => {
    const run = new Run();
    const fd = detachedTree(run);
    const [left, right] = createdFds(run, { type: 'socketpair', task: INIT });
    run.ok({ type: 'sendmsg', task: INIT, fd: fdOf(left), fds: [fdOf(fd)] });
    run.ok(close(fd));
    expect(ns(run, 2)).toMatchObject({ root: 7 });
    const [received] = createdFds(run, { type: 'recvmsg', task: INIT, fd: fdOf(right) });
    expect(fileOf(run, received).needUnmount).toBe(true);
    run.ok(close(received));
    expect(ns(run, 2)).toBeUndefined();
    run.sound();
  });
  it('an fd left unreceived on a closed socket dissolves the tree when the socket is released', () => {
    const run = new Run();
    const fd = detachedTree(run);
    const [left, right] = createdFds(run, { type: 'socketpair', task: INIT });
    run.ok({ type: 'sendmsg', task: INIT, fd: fdOf(left), fds: [fdOf(fd)] });
    run.ok(close(fd));
    run.ok(close(left));
    expect(ns(run, 2)).toMatchObject({ root: 7 });
    run.ok(close(right));
    expect(ns(run, 2)).toBeUndefined();
    expect(mnt(run, 7)).toBeUndefined();
    run.sound();
  });
  it('does nothing once move_mount() attached the tree', () => {
    const run = new Run();
    const fd = detachedTree(run);
    run.ok({
      type: 'move_mount',
      task: INIT,
      from_dfd: fdOf(fd),
      from_path: '',
      to_dfd: 'AT_FDCWD',
      to_path: '/tmp',
      flags: ['MOVE_MOUNT_F_EMPTY_PATH'],
    });
    run.ok(close(fd));
    expect(at(run, '/tmp').mnt).toBe(7);
    expect(mnt(run, 7)).toMatchObject({ mnt_ns: 1, mnt_count: 1 });
    expect(mnt(run, 8)).toMatchObject({ mnt_ns: 1, mnt_parent: 7 });
    run.sound();
  });
});

function fsCwdMount(run: Run): MountId | undefined {
  const fs = run.state.fsStructs[run.state.tasks[INIT]?.fs ?? (0 as never)];
  return fs?.pwd.mnt;
}
