// mkdir(2), mknod(2), rmdir(2) and unlink(2): each success path and each errno with the check that
// returns it, the order of the checks, and the mount-specific rule: a dentry that is a mountpoint
// in the caller's namespace cannot be removed (EBUSY), one that is a mountpoint only in another
// namespace is removed and the mounts on it are detached (__detach_mounts).
import { describe, expect, it } from 'vitest';
import type { Event, MountFlag, TaskId } from '../index.js';
import { dentryId, mntNsId, superBlockId } from '../index.js';
import { INIT, Run, at, bind, clone, cloneNewns, mkdir, mknod, mnt, task, tmpfs } from '../test-helpers.js';

const CHILD = task(2);
const GRANDCHILD = task(3);
const rmdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'rmdir', task: actor, path });
const unlink = (path: string, actor: TaskId = INIT): Event => ({ type: 'unlink', task: actor, path });

const dentry = (run: Run, path: string) => run.state.dentries[at(run, path).dentry];

describe('mkdir(2) and mknod(2)', () => {
  it('mkdir creates an empty directory in its parent', () => {
    const run = new Run();
    expect(run.ok(mkdir('/mnt/a'))).toBe(0);
    const made = dentry(run, '/mnt/a');
    expect(made).toMatchObject({ kind: 'dir', d_name: 'a', d_sb: 2, d_parent: at(run, '/mnt').dentry, d_subdirs: {}, unlinked: false });
    expect(dentry(run, '/mnt')).toMatchObject({ d_subdirs: { a: made?.id } });
    run.sound();
  });
  it('mknod creates a regular file; a relative path starts at the cwd', () => {
    const run = new Run();
    run.ok({ type: 'chdir', task: INIT, path: '/tmp' });
    run.ok(mknod('f'));
    expect(dentry(run, '/tmp/f')).toMatchObject({ kind: 'reg', d_name: 'f' });
    run.sound();
  });
  it('creates in a directory of a lazily unmounted mount reached through the cwd', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt' });
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    run.ok(mkdir('a'));
    expect(at(run, 'a').mnt).toBe(5);
    run.sound();
  });
  it('of an existing name fails EEXIST at filename_create: d_is_positive, /proc/<pid> and /proc/self included', () => {
    const run = new Run();
    expect(run.fails(mkdir('/mnt'), 'EEXIST')).toMatch(/filename_create: d_is_positive/);
    expect(run.fails(mknod('/mnt'), 'EEXIST')).toMatch(/d_is_positive/);
    expect(run.fails(mkdir('/proc/1'), 'EEXIST')).toMatch(/d_is_positive/);
    expect(run.fails(mkdir('/proc/self'), 'EEXIST')).toMatch(/d_is_positive/);
    run.sound();
  });
  it('of "/", "." or ".." fails EEXIST at filename_create: type != LAST_NORM', () => {
    const run = new Run();
    for (const path of ['/', '/mnt/.', '/mnt/..']) {
      expect(run.fails(mkdir(path), 'EEXIST')).toMatch(/filename_create: not a plain name/);
    }
    run.sound();
  });
  it('mknod with a trailing slash fails ENOENT at filename_create; mkdir accepts one', () => {
    const run = new Run();
    expect(run.fails(mknod('/mnt/f/'), 'ENOENT')).toMatch(/filename_create: trailing slash/);
    run.ok(mkdir('/mnt/a/'));
    run.sound();
  });
  it('under a missing directory fails ENOENT, under a file ENOTDIR, at filename_parentat', () => {
    const run = new Run();
    run.ok(mknod('/mnt/f'));
    expect(run.fails(mkdir('/mnt/none/a'), 'ENOENT')).toMatch(/lookup/);
    expect(run.fails(mkdir('/mnt/f/a'), 'ENOTDIR')).toMatch(/filename_parentat/);
    run.sound();
  });
  it('in a removed directory (the cwd) fails ENOENT at may_create: IS_DEADDIR', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt/a' });
    run.ok(rmdir('/mnt/a'));
    expect(run.fails(mkdir('b'), 'ENOENT')).toMatch(/may_create: IS_DEADDIR/);
    run.sound();
  });
  it('of a name procfs does not have fails ENOENT at its lookup: procfs has no negative dentries', () => {
    const run = new Run();
    expect(run.fails(mkdir('/proc/a'), 'ENOENT')).toMatch(/proc_root_lookup/);
    expect(run.fails(mknod('/proc/self/a'), 'ENOENT')).toMatch(/proc_pident_lookup/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(mkdir('/mnt/a', task(5)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('rmdir(2)', () => {
  it('removes an empty directory: it leaves its parent and is marked unlinked', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    const removed = at(run, '/mnt/a').dentry;
    expect(run.ok(rmdir('/mnt/a'))).toBe(0);
    expect(dentry(run, '/mnt')).toMatchObject({ d_subdirs: {} });
    expect(run.state.dentries[removed]?.unlinked).toBe(true);
    run.fails(rmdir('/mnt/a'), 'ENOENT');
    run.sound();
  });
  it('of "..", "." and "/" fails ENOTEMPTY, EINVAL and EBUSY at do_rmdir: switch (type)', () => {
    const run = new Run();
    expect(run.fails(rmdir('/mnt/..'), 'ENOTEMPTY')).toMatch(/do_rmdir: LAST_DOTDOT/);
    expect(run.fails(rmdir('/mnt/.'), 'EINVAL')).toMatch(/do_rmdir: LAST_DOT/);
    expect(run.fails(rmdir('/'), 'EBUSY')).toMatch(/do_rmdir: LAST_ROOT/);
    run.sound();
  });
  it('of a missing name fails ENOENT; of a file ENOTDIR at may_delete', () => {
    const run = new Run();
    run.ok(mknod('/mnt/f'));
    expect(run.fails(rmdir('/mnt/none'), 'ENOENT')).toMatch(/do_rmdir: no such entry/);
    expect(run.fails(rmdir('/mnt/f'), 'ENOTDIR')).toMatch(/may_delete: !d_is_dir/);
    expect(run.fails(rmdir('/proc/self'), 'ENOTDIR')).toMatch(/may_delete/); // a symlink
    run.sound();
  });
  it('of /proc/<pid> fails EPERM at may_delete: the /proc/<pid> inode is S_IMMUTABLE', () => {
    const run = new Run();
    expect(run.fails(rmdir('/proc/1'), 'EPERM')).toMatch(/may_delete: IS_IMMUTABLE\(victim\)/);
    run.sound();
  });
  it('of a non-empty directory fails ENOTEMPTY at simple_rmdir', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(mknod('/mnt/a/f'));
    expect(run.fails(rmdir('/mnt/a'), 'ENOTEMPTY')).toMatch(/simple_rmdir: !simple_empty/);
    run.sound();
  });
  it('of a mountpoint in the caller\'s namespace fails EBUSY at is_local_mountpoint, before ENOTEMPTY', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(mknod('/mnt/a/f'));
    run.ok(tmpfs('/mnt/a'));
    expect(run.fails(rmdir('/mnt/a'), 'EBUSY')).toMatch(/vfs_rmdir: is_local_mountpoint/);
    expect(run.fails(rmdir('/proc'), 'EBUSY')).toMatch(/is_local_mountpoint/);
    run.sound();
  });
  it('of a dentry that is a mountpoint only in another namespace removes it and detaches that mount', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(cloneNewns()); // task 2, namespace 2: mounts 5-7
    run.ok(tmpfs('/mnt/a', CHILD)); // 8, in namespace 2 only
    const victim = at(run, '/mnt/a').dentry;
    expect(run.fails(rmdir('/mnt/a', CHILD), 'EBUSY')).toMatch(/is_local_mountpoint/);
    expect(run.ok(rmdir('/mnt/a'))).toBe(0);
    expect(run.state.dentries[victim]?.unlinked).toBe(true);
    expect(mnt(run, 8)).toBeUndefined(); // nothing held it
    expect(run.state.superBlocks[superBlockId(5)]).toBeUndefined(); // its tmpfs went with it
    expect(run.state.mountpoints[victim]).toBeUndefined();
    expect(run.state.mntNamespaces[mntNsId(2)]?.nr_mounts).toBe(3);
    expect(run.fails(rmdir('/mnt/a', CHILD), 'ENOENT')).toMatch(/no such entry/);
    run.sound();
  });
  it('detaching a held mount leaves it alive and its children connected to it (UMOUNT_CONNECTED)', () => {
    const run = new Run();
    run.ok(mkdir('/mnt/a'));
    run.ok(cloneNewns());
    run.ok(tmpfs('/mnt/a', CHILD)); // 8
    run.ok(mkdir('/mnt/a/x', CHILD));
    run.ok(tmpfs('/mnt/a/x', CHILD)); // 9
    run.ok({ type: 'chdir', task: CHILD, path: '/mnt/a' });
    run.ok(rmdir('/mnt/a'));
    expect(mnt(run, 8)).toMatchObject({ mnt_ns: null, mnt_parent: null, mnt_count: 1, mnt_mounts: [9] });
    expect(mnt(run, 9)).toMatchObject({ mnt_ns: null, mnt_parent: 8, mnt_count: 1 });
    expect(at(run, 'x', CHILD).mnt).toBe(9);
    expect(run.state.mntNamespaces[mntNsId(2)]?.nr_mounts).toBe(3);
    run.sound();
  });
});

describe('unlink(2)', () => {
  it('removes a regular file', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    const removed = at(run, '/tmp/f').dentry;
    expect(run.ok(unlink('/tmp/f'))).toBe(0);
    expect(run.state.dentries[removed]).toMatchObject({ unlinked: true });
    expect(dentry(run, '/tmp')).toMatchObject({ d_subdirs: {} });
    run.sound();
  });
  it('of "/", "." or ".." fails EISDIR at do_unlinkat: type != LAST_NORM', () => {
    const run = new Run();
    for (const path of ['/', '/mnt/.', '/mnt/..']) {
      expect(run.fails(unlink(path), 'EISDIR')).toMatch(/do_unlinkat: not a plain name/);
    }
    run.sound();
  });
  it('of a missing name fails ENOENT', () => {
    const run = new Run();
    expect(run.fails(unlink('/tmp/none'), 'ENOENT')).toMatch(/do_unlinkat: no such entry/);
    run.sound();
  });
  it('with a trailing slash fails EISDIR on a directory and ENOTDIR on a file', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    expect(run.fails(unlink('/mnt/'), 'EISDIR')).toMatch(/trailing slash on a directory/);
    expect(run.fails(unlink('/tmp/f/'), 'ENOTDIR')).toMatch(/trailing slash on a non-directory/);
    run.sound();
  });
  it('of a directory fails EISDIR at may_delete; of /proc/<pid> EPERM before it (S_IMMUTABLE)', () => {
    const run = new Run();
    expect(run.fails(unlink('/mnt'), 'EISDIR')).toMatch(/may_delete: d_is_dir/);
    expect(run.fails(unlink('/proc/1'), 'EPERM')).toMatch(/may_delete: IS_IMMUTABLE\(victim\)/);
    run.sound();
  });
  it('of /proc/self fails EPERM at vfs_unlink: procfs has no ->unlink', () => {
    const run = new Run();
    expect(run.fails(unlink('/proc/self'), 'EPERM')).toMatch(/vfs_unlink: procfs has no ->unlink/);
    run.sound();
  });
  it('of a file under an nsfs bind in the caller\'s namespace fails EBUSY at is_local_mountpoint', () => {
    const run = new Run();
    run.ok(cloneNewns());
    run.ok(mknod('/tmp/f'));
    run.ok({ type: 'mount', task: INIT, source: '/proc/2/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
    expect(run.fails(unlink('/tmp/f'), 'EBUSY')).toMatch(/vfs_unlink: is_local_mountpoint/);
    run.sound();
  });
  it('of a file that carries an nsfs bind only in another namespace drops that bind and the ns reference', () => {
    const run = new Run();
    run.ok(mknod('/tmp/f'));
    run.ok(cloneNewns()); // task 2, namespace 2
    run.ok(cloneNewns(CHILD)); // task 3, namespace 3
    run.ok({ type: 'mount', task: CHILD, source: '/proc/3/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] });
    const nsfs = run.state.mntNamespaces[mntNsId(3)]?.stashed ?? dentryId(0);
    expect(run.state.mntNamespaces[mntNsId(3)]?.count).toBe(2);
    run.ok(unlink('/tmp/f'));
    expect(run.state.dentries[nsfs]).toBeUndefined();
    expect(run.state.mntNamespaces[mntNsId(3)]).toMatchObject({ count: 1, stashed: null });
    expect(run.state.tasks[GRANDCHILD]).toBeDefined();
    run.sound();
  });
});

describe('EROFS: mnt_want_write() on the parent directory\'s mount (mnt_is_readonly: the mount or its superblock)', () => {
  const remount = (target: string, flags: MountFlag[], actor: TaskId = INIT): Event => ({ type: 'mount', task: actor, source: null, target, fstype: null, flags });
  /** A tmpfs on /mnt holding a directory d and a file f, then made read-only as `how` says. */
  function readOnlyMnt(how: 'superblock' | 'mount'): Run {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(mkdir('/mnt/d'));
    run.ok(mknod('/mnt/f'));
    if (how === 'superblock') {
      run.ok(remount('/mnt', ['MS_REMOUNT', 'MS_RDONLY']));
    } else {
      run.ok(bind('/mnt', '/tmp'));
      run.ok(remount('/tmp', ['MS_REMOUNT', 'MS_BIND', 'MS_RDONLY']));
    }
    return run;
  }
  it.each(['superblock', 'mount'] as const)('mkdir, mknod, rmdir and unlink fail EROFS on a read-only %s', (how) => {
    const run = readOnlyMnt(how);
    const place = how === 'superblock' ? '/mnt' : '/tmp';
    expect(run.fails(mkdir(`${place}/new`), 'EROFS')).toBe('filename_create: mnt_want_write');
    expect(run.fails(mknod(`${place}/new`), 'EROFS')).toBe('filename_create: mnt_want_write');
    expect(run.fails(rmdir(`${place}/d`), 'EROFS')).toBe('do_rmdir: mnt_want_write');
    expect(run.fails(unlink(`${place}/f`), 'EROFS')).toBe('do_unlinkat: mnt_want_write');
  });
  it('a read-only bind leaves the other mount of the superblock writable', () => {
    const run = readOnlyMnt('mount');
    run.ok(mkdir('/mnt/new'));
    run.ok(unlink('/mnt/f'));
    run.sound();
  });
  it('filename_create() reports EEXIST, a non-plain name, a missing parent, a trailing slash and a dead directory before EROFS', () => {
    const run = readOnlyMnt('superblock');
    run.fails(mkdir('/mnt/d'), 'EEXIST');
    run.fails(mknod('/mnt/f'), 'EEXIST');
    run.fails(mkdir('/mnt/.'), 'EEXIST');
    run.fails(mkdir('/mnt/none/x'), 'ENOENT');
    expect(run.fails(mknod('/mnt/g/'), 'ENOENT')).toMatch(/trailing slash/);
    expect(run.fails(mkdir('/mnt/g/'), 'EROFS')).toMatch(/mnt_want_write/);
  });
  it('creating in a dead directory on a read-only mount is ENOENT (the lookup comes first)', () => {
    const run = readOnlyMnt('mount');
    run.ok(mkdir('/mnt/dead'));
    run.ok({ type: 'chdir', task: INIT, path: '/tmp/dead' });
    run.ok(rmdir('/mnt/dead'));
    expect(run.fails(mkdir('x'), 'ENOENT')).toMatch(/IS_DEADDIR/);
    run.fails(mknod('x'), 'ENOENT');
  });
  it('do_rmdir() and do_unlinkat() check the name\'s type, then EROFS before the lookup: ENOENT, ENOTDIR, EISDIR come after', () => {
    const run = readOnlyMnt('superblock');
    run.fails(rmdir('/mnt/..'), 'ENOTEMPTY');
    run.fails(rmdir('/mnt/.'), 'EINVAL');
    run.fails(unlink('/mnt/.'), 'EISDIR');
    run.fails(rmdir('/mnt/none'), 'EROFS');
    run.fails(rmdir('/mnt/f'), 'EROFS');
    run.fails(unlink('/mnt/none'), 'EROFS');
    run.fails(unlink('/mnt/d'), 'EROFS');
    run.fails(unlink('/mnt/f/'), 'EROFS');
  });
  it('the D5 trace: a child in a new user namespace cannot create on the root its parent remounted read-only (umount2 MNT_FORCE of its own root)', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWUSER', 'CLONE_NEWNS']));
    run.ok({ type: 'umount2', task: INIT, target: '..', flags: ['MNT_FORCE'] });
    expect(run.fails(mknod('f', CHILD), 'EROFS')).toMatch(/mnt_want_write/);
    run.fails(mkdir('/mnt/x'), 'EROFS');
    run.ok(tmpfs('/mnt', CHILD));
    run.ok(mkdir('/mnt/x', CHILD));
    run.sound();
  });
});

describe('mkdir, mknod, rmdir and unlink in the directories below /proc (kernel answers, Linux 6.18)', () => {
  const openMnt: Event = { type: 'open', task: INIT, path: '/mnt', flags: ['O_PATH'] };
  it('of /proc/self/fd/<n> with fd n not open fail ENOENT at proc_lookupfd, before any ->mkdir or ->rmdir', () => {
    const run = new Run();
    expect(run.fails(mkdir('/proc/self/fd/3'), 'ENOENT')).toMatch(/proc_lookupfd: no such fd/);
    expect(run.fails(rmdir('/proc/self/fd/3'), 'ENOENT')).toMatch(/proc_lookupfd: no such fd/);
    expect(run.fails(unlink('/proc/self/fd/3'), 'ENOENT')).toMatch(/proc_lookupfd: no such fd/);
    expect(run.fails(mknod('/proc/self/fd/3'), 'ENOENT')).toMatch(/proc_lookupfd: no such fd/);
    run.sound();
  });
  it('name an fd the way name_to_int() reads it: no leading zeros, digits only', () => {
    const run = new Run();
    run.ok(openMnt);
    expect(run.fails(mkdir('/proc/self/fd/3'), 'EEXIST')).toMatch(/d_is_positive/);
    expect(run.fails(mkdir('/proc/self/fd/03'), 'ENOENT')).toMatch(/proc_lookupfd/);
    expect(run.fails(mkdir('/proc/self/fd/x'), 'ENOENT')).toMatch(/proc_lookupfd/);
    expect(run.fails(mkdir('/proc/01'), 'ENOENT')).toMatch(/proc_root_lookup/);
    run.sound();
  });
  it('of an open fd\'s link: mkdir EEXIST (with a trailing slash too), rmdir ENOTDIR at may_delete, unlink EPERM (no ->unlink)', () => {
    const run = new Run();
    run.ok(openMnt);
    expect(run.fails(mkdir('/proc/self/fd/3/'), 'EEXIST')).toMatch(/d_is_positive/);
    expect(run.fails(mknod('/proc/self/fd/3/'), 'EEXIST')).toMatch(/d_is_positive/);
    expect(run.fails(rmdir('/proc/self/fd/3'), 'ENOTDIR')).toMatch(/may_delete: !d_is_dir/);
    expect(run.fails(unlink('/proc/self/fd/3'), 'EPERM')).toMatch(/vfs_unlink: procfs has no ->unlink/);
    expect(run.fails(unlink('/proc/self/fd/3/'), 'ENOTDIR')).toMatch(/trailing slash on a non-directory/);
    expect(run.ok(mkdir('/proc/self/fd/3/x'))).toBe(0); // followed: /mnt/x
    run.sound();
  });
  it('in /proc/<pid>: EPERM at may_delete for rmdir and unlink of anything there (the directory is S_IMMUTABLE)', () => {
    const run = new Run();
    for (const name of ['ns', 'fd', 'root', 'cwd']) {
      expect(run.fails(mkdir(`/proc/self/${name}`), 'EEXIST')).toMatch(/d_is_positive/);
      expect(run.fails(rmdir(`/proc/self/${name}`), 'EPERM')).toMatch(/IS_IMMUTABLE\(dir\)/);
      expect(run.fails(unlink(`/proc/self/${name}`), 'EPERM')).toMatch(/IS_IMMUTABLE\(dir\)/);
    }
    expect(run.fails(unlink('/proc/self/ns/'), 'EISDIR')).toMatch(/trailing slash on a directory/);
    expect(run.fails(rmdir('/proc/self/nope'), 'ENOENT')).toMatch(/proc_pident_lookup/);
    run.sound();
  });
  it('in /proc/<pid>/ns: mnt is a link (rmdir ENOTDIR, unlink EPERM); "." and ".." are classified first', () => {
    const run = new Run();
    expect(run.fails(mkdir('/proc/self/ns/mnt'), 'EEXIST')).toMatch(/d_is_positive/);
    expect(run.fails(rmdir('/proc/self/ns/mnt'), 'ENOTDIR')).toMatch(/may_delete: !d_is_dir/);
    expect(run.fails(rmdir('/proc/self/ns/mnt/'), 'ENOTDIR')).toMatch(/may_delete: !d_is_dir/);
    expect(run.fails(unlink('/proc/self/ns/mnt'), 'EPERM')).toMatch(/vfs_unlink: procfs has no ->unlink/);
    expect(run.fails(rmdir('/proc/self/ns/..'), 'ENOTEMPTY')).toMatch(/LAST_DOTDOT/);
    expect(run.fails(rmdir('/proc/self/fd/.'), 'EINVAL')).toMatch(/LAST_DOT/);
    expect(run.fails(mkdir('/proc/self/fd/..'), 'EEXIST')).toMatch(/not a plain name/);
    expect(run.fails(unlink('/proc/self/fd/.'), 'EISDIR')).toMatch(/not a plain name/);
    run.sound();
  });
});
