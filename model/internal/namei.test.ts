// Path resolution (fs/namei.c path_lookupat, follow_dotdot, choose_mountpoint, path_init with a
// dirfd and AT_EMPTY_PATH, and procfs's magic links) and filename_parentat, on states built by
// running syscalls.
import { describe, expect, it } from 'vitest';
import type { Path, TaskId } from '../index.js';
import { mountId } from '../index.js';
import type { Dirfd } from '../events.js';
import { INIT, Run, at, bind, fdOf, mkdir, mknod, ns, open, task, tmpfs } from '../test-helpers.js';
import type { LookupFlags } from './namei.js';
import { lookupAt, parentLookup, pathLookup } from './namei.js';

const CHILD = task(2);

function lookup(run: Run, path: string, flags: LookupFlags = { follow: true }, actor: TaskId = INIT) {
  const caller = run.state.tasks[actor];
  if (caller === undefined) throw new Error(`no task ${actor}`);
  return pathLookup(run.state, caller, path, flags, {});
}
/** The root of a mount, as a path. */
function rootOf(run: Run, id: number): Path {
  const mount = run.state.mounts[mountId(id)];
  if (mount === undefined) throw new Error(`no mount ${id}`);
  return { mnt: mount.id, dentry: mount.mnt_root };
}
const failed = (run: Run, path: string, flags?: LookupFlags) => {
  const found = lookup(run, path, flags);
  return found.ok ? 'resolved' : `${found.errno} ${found.check}`;
};

describe('pathLookup: walking and crossing mounts', () => {
  it('resolves absolute paths from the root and relative ones from the cwd', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    expect(at(run, 'a/..')).toEqual(at(run, '/mnt'));
    expect(at(run, '.')).toEqual(at(run, '/mnt'));
    expect(at(run, '//mnt//./')).toEqual(at(run, '/mnt'));
    run.sound();
  });
  it('crosses a mountpoint to the topmost mount stacked there', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(tmpfs('/mnt'));
    expect(at(run, '/mnt')).toEqual(rootOf(run, 6));
    run.sound();
  });
  it('".." from a mount root goes to the parent of its mountpoint, and crosses mounts stacked there', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    expect(at(run, '/mnt/a/..')).toEqual(at(run, '/mnt'));
    run.ok(tmpfs('/mnt')); // now /mnt/a lies under a mount on /mnt
    run.ok({ type: 'chdir', task: INIT, path: '/proc' });
    expect(at(run, '..')).toEqual(at(run, '/'));
    expect(at(run, '../mnt')).toEqual(rootOf(run, 6));
    run.sound();
  });
  it('".." from the root of a bind of a subdirectory goes to the parent of the mountpoint, not of the dentry', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(mkdir('/tmp/b'));
    run.ok(bind('/mnt/a', '/tmp/b'));
    expect(at(run, '/tmp/b')).toEqual({ mnt: 5, dentry: at(run, '/mnt/a').dentry });
    expect(at(run, '/tmp/b/..')).toEqual(at(run, '/tmp'));
    run.sound();
  });
  it('".." at the root stays there, but crosses to a mount stacked on "/"', () => {
    const run = new Run();
    expect(at(run, '/..')).toEqual(at(run, '/'));
    run.ok(tmpfs('/'));
    expect(at(run, '/')).toEqual({ mnt: 2, dentry: at(run, '/').dentry });
    expect(at(run, '/..')).toEqual(rootOf(run, 5));
    run.sound();
  });
  it('".." at the chroot root stays, also from below a mount inside the chroot', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    run.ok({ type: 'chroot', task: INIT, path: '/mnt' });
    expect(at(run, '/..')).toEqual(at(run, '/'));
    expect(at(run, '/a/../..')).toEqual(at(run, '/'));
    expect(at(run, '/a/..')).toEqual(at(run, '/'));
    run.sound();
  });
  it('".." at the root of a detached mount stays there', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(at(run, '..')).toEqual(rootOf(run, 5));
    run.sound();
  });
  it('a trailing "." stays on an overmounted cwd; LOOKUP_MOUNTPOINT crosses to the mount on top', () => {
    const run = new Run();
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    const under = at(run, '.');
    run.ok(tmpfs('/mnt'));
    expect(at(run, '.')).toEqual(under);
    expect(at(run, '/mnt/.')).toEqual(rootOf(run, 5));
    expect(lookup(run, '.', { follow: true, mountpoint: true })).toMatchObject({ ok: true, path: rootOf(run, 5) });
    run.sound();
  });
  it('fails ENOTDIR for a file in the middle of a path or before a trailing slash', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/mnt/f' });
    expect(failed(run, '/mnt/f/x')).toMatch(/^ENOTDIR link_path_walk/);
    expect(failed(run, '/mnt/f/..')).toMatch(/^ENOTDIR link_path_walk/);
    expect(failed(run, '/mnt/f/')).toMatch(/^ENOTDIR lookup: trailing slash/);
    expect(failed(run, '/mnt/f/.')).toMatch(/^ENOTDIR/);
    run.sound();
  });
  it('fails ENOENT for a missing name, an empty path, and a name in a removed directory', () => {
    const run = new Run();
    expect(failed(run, '/mnt/none')).toMatch(/^ENOENT lookup_fast/);
    expect(failed(run, '')).toMatch(/^ENOENT getname/);
    run.ok(mkdir('/mnt/a'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt/a' });
    run.ok({ type: 'rmdir', task: INIT, path: '/mnt/a' });
    expect(failed(run, 'x')).toMatch(/^ENOENT/);
    expect(at(run, '..')).toEqual(at(run, '/mnt')); // a removed cwd still has its parent
    run.sound();
  });
});

describe('pathLookup: /proc magic links', () => {
  it('/proc/<pid>/root/... reaches the other task\'s root, in its namespace', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] }); // copies: 5 (rootfs), 6 (root), 7 (proc)
    run.ok(mkdir('/mnt/a', CHILD));
    run.ok(tmpfs('/mnt/a', CHILD)); // 8
    expect(at(run, '/proc/2/root')).toEqual(at(run, '/', CHILD));
    expect(at(run, '/proc/2/root/mnt/a')).toEqual(rootOf(run, 8));
    expect(at(run, '/proc/2/root/..')).toEqual(at(run, '/', CHILD)); // the namespace root has no mountpoint above it
    expect(at(run, '/proc/2/cwd')).toEqual(at(run, '.', CHILD));
    run.sound();
  });
  it('/proc/self/fd/N is the path of the open file; without LOOKUP_FOLLOW it is the link itself', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    const fd = run.ok({ type: 'open', task: INIT, path: '/mnt', flags: ['O_PATH'] });
    expect(at(run, `/proc/self/fd/${fd}`)).toEqual(rootOf(run, 5));
    expect(at(run, `/proc/1/fd/${fd}/.`)).toEqual(rootOf(run, 5));
    expect(lookup(run, `/proc/self/fd/${fd}`, { follow: false })).toEqual({ ok: true, kind: 'proc-link', in: 'fd' });
    expect(failed(run, '/proc/self/fd/9')).toMatch(/^ENOENT proc_lookupfd/);
    expect(failed(run, '/proc/self/fd/x')).toMatch(/^ENOENT proc_lookupfd/);
    run.sound();
  });
  it('/proc/<pid>/ns/mnt is the nsfs file of the task\'s namespace, and not a directory', () => {
    const run = new Run();
    expect(lookup(run, '/proc/self/ns/mnt')).toEqual({ ok: true, kind: 'nsfs', ns: 1 });
    expect(lookup(run, '/proc/1/ns/mnt', { follow: false })).toEqual({ ok: true, kind: 'proc-link', in: 'ns' });
    expect(failed(run, '/proc/self/ns/mnt/x')).toMatch(/^ENOTDIR/);
    expect(failed(run, '/proc/self/ns/mnt/')).toMatch(/^ENOTDIR/);
    expect(failed(run, '/proc/self/ns/net')).toMatch(/^ENOENT proc_ns_dir_lookup/);
    run.sound();
  });
  it('procfs directories are proc-dir results, and ".." below /proc walks back up to "/"', () => {
    const run = new Run();
    expect(lookup(run, '/proc/1')).toEqual({ ok: true, kind: 'proc-dir', dir: { level: 'pid', pid: 1 }, mnt: at(run, '/proc').mnt });
    expect(lookup(run, '/proc/self/ns')).toEqual({ ok: true, kind: 'proc-dir', dir: { level: 'ns', pid: 1 }, mnt: at(run, '/proc').mnt });
    expect(lookup(run, '/proc/1/ns/..')).toEqual({ ok: true, kind: 'proc-dir', dir: { level: 'pid', pid: 1 }, mnt: at(run, '/proc').mnt });
    expect(at(run, '/proc/1/..')).toEqual(at(run, '/proc'));
    expect(at(run, '/proc/self/fd/../../..')).toEqual(at(run, '/'));
    expect(at(run, '/proc/1/../../mnt')).toEqual(at(run, '/mnt'));
    run.sound();
  });
  it('fails ENOENT for a task that does not exist, an exited task, and unknown entries', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok({ type: 'exit', task: CHILD });
    expect(failed(run, '/proc/2/root')).toMatch(/^ENOENT proc_root_lookup/);
    expect(failed(run, '/proc/abc')).toMatch(/^ENOENT proc_root_lookup/);
    expect(failed(run, '/proc/1/status')).toMatch(/^ENOENT proc_pident_lookup/);
    run.sound();
  });
  it('/proc/self/fd/N of a socket fails ENXIO (sockfs paths are not modelled)', () => {
    const run = new Run();
    run.ok({ type: 'socketpair', task: INIT });
    expect(failed(run, '/proc/self/fd/3')).toMatch(/^ENXIO proc_fd_link/);
    run.sound();
  });
});

describe('parentLookup (filename_parentat)', () => {
  const parent = (run: Run, path: string) => {
    const caller = run.state.tasks[INIT];
    if (caller === undefined) throw new Error('no init task');
    return parentLookup(run.state, caller, path, {});
  };
  it('splits off the last component and classifies it', () => {
    const run = new Run();
    expect(parent(run, '/mnt/a')).toEqual({ ok: true, parent: at(run, '/mnt'), last: 'a', type: 'norm', trailingSlash: false });
    expect(parent(run, '/mnt/a/')).toMatchObject({ last: 'a', trailingSlash: true });
    expect(parent(run, '/mnt/.')).toMatchObject({ parent: at(run, '/mnt'), type: 'dot' });
    expect(parent(run, '/mnt/..')).toMatchObject({ parent: at(run, '/mnt'), type: 'dotdot' });
    expect(parent(run, '/')).toMatchObject({ parent: at(run, '/'), type: 'root' });
    expect(parent(run, 'a')).toMatchObject({ parent: at(run, '.'), last: 'a' });
    run.sound();
  });
  it('the parent crosses mounts; the last component is left to the caller', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    expect(parent(run, '/mnt/a')).toMatchObject({ parent: rootOf(run, 5) });
    expect(parent(run, '/mnt')).toMatchObject({ parent: at(run, '/'), last: 'mnt' });
    run.sound();
  });
  it('fails ENOTDIR when the parent is a file or an nsfs file, ENOENT for an empty path', () => {
    const run = new Run();
    run.ok({ type: 'mknod', task: INIT, path: '/mnt/f' });
    expect(parent(run, '/mnt/f/a')).toMatchObject({ ok: false, errno: 'ENOTDIR' });
    expect(parent(run, '/proc/self/ns/mnt/a')).toMatchObject({ ok: false, errno: 'ENOTDIR' });
    expect(parent(run, '')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(parent(run, '/proc/self/a')).toEqual({ ok: true, kind: 'proc-dir', dir: { level: 'pid', pid: 1 }, mnt: at(run, '/proc').mnt });
    run.sound();
  });
});

describe('magic links with a trailing slash', () => {
  it('umount2("/proc/2/root/", UMOUNT_NOFOLLOW) follows the link: the trailing slash forces LOOKUP_FOLLOW', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] });
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok({ type: 'chroot', task: task(2), path: '/mnt' });
    expect(run.fails({ type: 'umount2', task: INIT, target: '/proc/2/root', flags: ['UMOUNT_NOFOLLOW', 'MNT_DETACH'] }, 'EINVAL')).toMatch(/path_mounted/);
    expect(run.ok({ type: 'umount2', task: INIT, target: '/proc/2/root/', flags: ['UMOUNT_NOFOLLOW', 'MNT_DETACH'] })).toBe(0);
    run.sound();
  });
});

describe('lookupAt: user_path_at() with a dirfd (path_init) and AT_EMPTY_PATH', () => {
  const lookupFrom = (run: Run, dfd: Dirfd, path: string, flags: LookupFlags = { follow: true }) => {
    const caller = run.state.tasks[INIT];
    if (caller === undefined) throw new Error('no init task');
    return lookupAt(run.state, caller, dfd, path, flags, {});
  };
  const resolved = (found: ReturnType<typeof lookupFrom>): Path | string =>
    found.ok ? (found.kind === 'path' ? found.path : found.kind) : `${found.errno} ${found.check}`;
  const dirfd = (n: number): Dirfd => fdOf(n);

  it('starts a relative path at the dirfd\'s path, which may be an O_PATH fd', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(tmpfs('/mnt/a'));
    const fd = run.ok(open('/mnt', ['O_PATH']));
    expect(resolved(lookupFrom(run, dirfd(fd), 'a'))).toEqual(rootOf(run, 5));
    expect(resolved(lookupFrom(run, dirfd(fd), 'a/..'))).toEqual(at(run, '/mnt'));
    expect(resolved(lookupFrom(run, dirfd(fd), '.'))).toEqual(at(run, '/mnt'));
  });
  it('".." from the dirfd\'s path still stops at the caller\'s root', () => {
    const run = new Run();
    const fd = run.ok(open('/mnt', ['O_PATH']));
    run.ok({ type: 'chroot', task: INIT, path: '/mnt' });
    expect(resolved(lookupFrom(run, dirfd(fd), '../..'))).toEqual(at(run, '/'));
  });
  it('ignores the dirfd for an absolute path, even a closed one; AT_FDCWD starts at the cwd', () => {
    const run = new Run();
    run.ok({ type: 'chdir', task: INIT, path: '/tmp' });
    expect(resolved(lookupFrom(run, dirfd(42), '/mnt'))).toEqual(at(run, '/mnt'));
    expect(resolved(lookupFrom(run, 'AT_FDCWD', '.'))).toEqual(at(run, '/tmp'));
  });
  it('fails ENOENT for an empty path without LOOKUP_EMPTY, before looking at the dirfd (getname)', () => {
    const run = new Run();
    const fd = run.ok(open('/mnt', ['O_PATH']));
    expect(resolved(lookupFrom(run, dirfd(fd), ''))).toMatch(/^ENOENT getname/);
    expect(resolved(lookupFrom(run, dirfd(42), ''))).toMatch(/^ENOENT getname/);
    expect(resolved(lookupFrom(run, 'AT_FDCWD', ''))).toMatch(/^ENOENT getname/);
  });
  it('with LOOKUP_EMPTY an empty path is the dirfd\'s own path, not crossed to a mount stacked on it', () => {
    const run = new Run();
    const dir = at(run, '/mnt');
    const fd = run.ok(open('/mnt', ['O_PATH']));
    run.ok(tmpfs('/mnt'));
    expect(resolved(lookupFrom(run, dirfd(fd), '', { follow: true, empty: true }))).toEqual(dir);
    expect(resolved(lookupFrom(run, dirfd(fd), '.'))).toEqual(dir);
    expect(at(run, '/mnt')).toEqual(rootOf(run, 5));
    run.ok({ type: 'chdir', task: INIT, path: '/tmp' });
    expect(resolved(lookupFrom(run, 'AT_FDCWD', '', { follow: true, empty: true }))).toEqual(at(run, '/tmp'));
  });
  it('with LOOKUP_EMPTY the dirfd may be a regular file, or an nsfs file (on the internal nsfs mount)', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    const reg = run.ok(open('/tmp/f'));
    expect(resolved(lookupFrom(run, dirfd(reg), '', { follow: true, empty: true }))).toEqual(at(run, '/tmp/f'));
    const nsfd = run.ok(open('/proc/self/ns/mnt'));
    const stashed = ns(run, 1)?.stashed;
    expect(resolved(lookupFrom(run, dirfd(nsfd), '', { follow: true, empty: true }))).toEqual({ mnt: run.state.nsfsMnt, dentry: stashed });
  });
  it('fails EBADF for a relative or empty path with a dirfd that is not open (fdget_raw)', () => {
    const run = new Run();
    expect(resolved(lookupFrom(run, dirfd(3), 'mnt'))).toMatch(/^EBADF path_init/);
    expect(resolved(lookupFrom(run, dirfd(3), '', { follow: true, empty: true }))).toMatch(/^EBADF path_init/);
  });
  it('fails ENOTDIR for a relative path, "." included, under a dirfd that is not a directory', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    const reg = run.ok(open('/tmp/f', ['O_PATH']));
    expect(resolved(lookupFrom(run, dirfd(reg), 'x'))).toMatch(/^ENOTDIR path_init/);
    expect(resolved(lookupFrom(run, dirfd(reg), '.'))).toMatch(/^ENOTDIR path_init/);
    const nsfd = run.ok(open('/proc/self/ns/mnt'));
    expect(resolved(lookupFrom(run, dirfd(nsfd), 'x'))).toMatch(/^ENOTDIR path_init/);
  });
  it('a socket or fs_context dirfd: ENOTDIR under it, and the file itself is refused (pseudo mounts are not modelled)', () => {
    const run = new Run();
    run.ok({ type: 'socketpair', task: INIT });
    expect(resolved(lookupFrom(run, dirfd(3), 'x'))).toMatch(/^ENOTDIR path_init/);
    expect(resolved(lookupFrom(run, dirfd(3), '', { follow: true, empty: true }))).toMatch(/^EINVAL model:/);
  });
});
