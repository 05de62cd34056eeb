// move_mount(2) between paths: do_move_mount()'s checks in the 6.18 order, and
// MOVE_MOUNT_BENEATH (can_move_mount_beneath(), attach_recursive_mnt() sliding the old top on).
import { describe, expect, it } from 'vitest';
import type { Dirfd, Event, MoveMountFlag, TaskId } from '../index.js';
import { INIT, Run, at, dropCaps, fdOf, mkdir, mnt, open, tmpfs } from '../test-helpers.js';

const moveMount = (from: string, to: string, flags: MoveMountFlag[] = [], actor: TaskId = INIT): Event => ({
  type: 'move_mount',
  task: actor,
  from_dfd: 'AT_FDCWD',
  from_path: from,
  to_dfd: 'AT_FDCWD',
  to_path: to,
  flags,
});

const moveMountAt = (fromDfd: Dirfd, from: string, toDfd: Dirfd, to: string, flags: MoveMountFlag[]): Event => ({
  type: 'move_mount',
  task: INIT,
  from_dfd: fromDfd,
  from_path: from,
  to_dfd: toDfd,
  to_path: to,
  flags,
});

describe('move_mount(2): the target is resolved before the source (6.15+ SYSCALL_DEFINE5(move_mount))', () => {
  it('fails ENOENT for a missing target before EBADF for a closed source fd', () => {
    const run = new Run();
    expect(run.fails(moveMountAt(fdOf(3), '', 'AT_FDCWD', '/mnt/a/b', ['MOVE_MOUNT_F_EMPTY_PATH']), 'ENOENT')).not.toMatch(/fd/);
    run.fails(moveMountAt(fdOf(3), '', 'AT_FDCWD', '/mnt/a/b', ['MOVE_MOUNT_F_EMPTY_PATH', 'MOVE_MOUNT_BENEATH']), 'ENOENT');
  });
  it('fails EBADF for a closed target fd before ENOENT for a missing source path', () => {
    const run = new Run();
    run.fails(moveMountAt('AT_FDCWD', '/nonexistent', fdOf(3), '', ['MOVE_MOUNT_T_EMPTY_PATH']), 'EBADF');
  });
  it('looks the source up once the target resolved: EBADF for a closed source fd onto an existing target', () => {
    const run = new Run();
    run.fails(moveMountAt(fdOf(3), '', 'AT_FDCWD', '/mnt', ['MOVE_MOUNT_F_EMPTY_PATH']), 'EBADF');
  });
  it('a socket target fd resolves (to sockfs): a missing source is ENOENT, an existing one EINVAL', () => {
    const run = new Run();
    run.ok({ type: 'socketpair', task: INIT });
    run.fails(moveMountAt('AT_FDCWD', '/nonexistent', fdOf(3), '', ['MOVE_MOUNT_T_EMPTY_PATH', 'MOVE_MOUNT_BENEATH']), 'ENOENT');
    run.fails(moveMountAt('AT_FDCWD', '/mnt', fdOf(3), '', ['MOVE_MOUNT_T_EMPTY_PATH']), 'EINVAL');
  });
  it('fails ENOENT for an empty target without MOVE_MOUNT_T_EMPTY_PATH before a bad source fd', () => {
    const run = new Run();
    run.ok(open('/mnt', ['O_PATH']));
    run.fails(moveMountAt(fdOf(4), '', fdOf(3), '', ['MOVE_MOUNT_F_EMPTY_PATH']), 'ENOENT');
  });
});

describe('move_mount(2) onto a /proc magic link that is not followed', () => {
  it('fails ENOENT at do_lock_mount for a non-directory source, EINVAL for a directory or with MOVE_MOUNT_BENEATH', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt', ['O_PATH']));
    const nsfsTree = run.ok({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/proc/self/fd/3', flags: ['OPEN_TREE_CLONE'] });
    expect(run.fails(moveMountAt(fdOf(nsfsTree), '', 'AT_FDCWD', '/proc/self/fd/3', ['MOVE_MOUNT_F_EMPTY_PATH']), 'ENOENT')).toMatch(/do_lock_mount/);
    run.fails(moveMountAt(fdOf(nsfsTree), '', 'AT_FDCWD', '/proc/self/fd/3', ['MOVE_MOUNT_F_EMPTY_PATH', 'MOVE_MOUNT_BENEATH']), 'EINVAL');
    const dirTree = run.ok({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: ['OPEN_TREE_CLONE'] });
    expect(run.fails(moveMountAt(fdOf(dirTree), '', 'AT_FDCWD', '/proc/self/fd/3', ['MOVE_MOUNT_F_EMPTY_PATH']), 'EINVAL')).toMatch(/non-directory/);
  });
});

describe('move_mount(2) between paths', () => {
  it('moves a mount like MS_MOVE', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(moveMount('/mnt', '/tmp'));
    expect(at(run, '/tmp').mnt).toBe(5);
    run.sound();
  });
  it('fails EPERM without CAP_SYS_ADMIN, before looking at the paths (may_mount)', () => {
    const run = new Run();
    run.ok(dropCaps);
    run.fails(moveMount('/nonexistent', '/tmp'), 'EPERM');
  });
  it('fails EINVAL for a source that is not a mount root (path_mounted comes first on 6.18)', () => {
    const run = new Run();
    expect(run.fails(moveMount('/tmp', '/mnt'), 'EINVAL')).toMatch(/path_mounted/);
  });
  it('fails EINVAL for the namespace root, and ENOENT for a missing path', () => {
    const run = new Run();
    run.fails(moveMount('/nonexistent', '/mnt'), 'ENOENT');
  });
  it('with MOVE_MOUNT_BENEATH, slides the mount under the one on top of the target', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/tmp/b'));
    run.ok(tmpfs('/tmp/b'));
    run.ok(moveMount('/tmp/b', '/mnt', ['MOVE_MOUNT_BENEATH']));
    // /mnt still shows the old top (mount 5), now stacked on the moved mount 6
    expect(at(run, '/mnt').mnt).toBe(5);
    expect(mnt(run, 5)?.mnt_parent).toBe(6);
    expect(mnt(run, 6)?.mnt_parent).toBe(2);
    run.sound();
  });
  it('with MOVE_MOUNT_BENEATH, fails EINVAL on a path that is not a mount root, or the caller\'s root', () => {
    const run = new Run();
    run.ok(mkdir('/tmp/b'));
    run.ok(tmpfs('/tmp/b'));
    expect(run.fails(moveMount('/tmp/b', '/mnt', ['MOVE_MOUNT_BENEATH']), 'EINVAL')).toMatch(/not a mount root/);
    expect(run.fails(moveMount('/tmp/b', '/', ['MOVE_MOUNT_BENEATH']), 'EINVAL')).toMatch(/root/);
  });
});

describe('move_mount(2) MOVE_MOUNT_BENEATH: do_lock_mount() checks path_mounted() on the path as given', () => {
  const beneath = (fd: number, to: string): Event => moveMountAt(fdOf(fd), '', 'AT_FDCWD', to, ['MOVE_MOUNT_F_EMPTY_PATH', 'MOVE_MOUNT_BENEATH']);
  it('refuses a directory with a mount on it that is not itself a mount root, EINVAL before the overmount is followed', () => {
    const run = new Run();
    const tree = run.ok({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: ['OPEN_TREE_CLONE'] });
    run.ok({ type: 'chroot', task: INIT, path: '/mnt' }); // the root is a directory inside the boot tmpfs
    run.ok(tmpfs('/')); // a walk to "/" does not follow what is mounted on the root
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    expect(run.fails(beneath(tree, '/'), 'EINVAL')).toBe('do_lock_mount: beneath a path that is not a mount root');
    expect(run.fails(beneath(tree, '.'), 'EINVAL')).toBe('do_lock_mount: beneath a path that is not a mount root');
    run.sound();
  });
  it('moves beneath the overmount of a mount root', () => {
    const run = new Run();
    const tree = run.ok({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: ['OPEN_TREE_CLONE'] });
    run.ok(tmpfs('/tmp'));
    run.ok(beneath(tree, '/tmp'));
    run.sound();
  });
});
