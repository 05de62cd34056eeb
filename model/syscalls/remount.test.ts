// mount(2) with MS_REMOUNT (fs/namespace.c do_reconfigure_mnt, do_remount): the per-mount flags
// become exactly the requested set, do_remount also sets the superblock's read-only state, lock
// bits, MNT_LOCKED and propagation stay; each errno with the check that returns it, in the kernel's
// order, including the locked flags of a user-namespace copy (kernel-semantics.md §4.11, §12 #27).
import { describe, expect, it } from 'vitest';
import type { Event, MountEvent, MountFlag, Result, TaskId } from '../index.js';
import { INIT, Run, at, bind, dropCaps, mkdir, mnt, open, sb } from '../test-helpers.js';

const remountEvent = (target: string, flags: MountFlag[], actor: TaskId = INIT): MountEvent =>
  ({ type: 'mount', task: actor, source: null, target, fstype: null, flags: ['MS_REMOUNT', ...flags] });
const newTmpfs = (target: string, flags: MountFlag[]): Event =>
  ({ type: 'mount', task: INIT, source: 'none', target, fstype: 'tmpfs', flags });

/** Run one remount through mount(2). */
function remount(run: Run, target: string, flags: MountFlag[] = [], actor: TaskId = INIT): Result {
  return run.do(remountEvent(target, flags, actor));
}

/** A remount that must fail with `errno`, leaving the state untouched; returns the failing check. */
function remountFails(run: Run, target: string, flags: MountFlag[], errno: string): string {
  const before = run.state;
  const result = remount(run, target, flags);
  expect(result.ok ? 'success' : result.errno).toBe(errno);
  expect(run.state).toBe(before);
  return result.ok ? '' : result.check;
}

function remountOk(run: Run, target: string, flags: MountFlag[] = []): void {
  expect(remount(run, target, flags)).toEqual({ ok: true, value: 0 });
}

/** INIT mounted a tmpfs ro,nosuid on /mnt (mount 5, superblock 5), then, unprivileged,
 * unshare(CLONE_NEWUSER|CLONE_NEWNS): /mnt is now copy 9, with MNT_LOCK_READONLY and MNT_LOCK_NOSUID. */
function lockedInUserNs(run: Run = new Run()): Run {
  run.ok(newTmpfs('/mnt', ['MS_RDONLY', 'MS_NOSUID']));
  run.ok(dropCaps);
  run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
  expect(at(run, '/mnt').mnt).toBe(9);
  expect(mnt(run, 9)?.flags).toMatchObject({ readonly: true, nosuid: true, lockReadonly: true, lockNosuid: true, locked: true });
  return run;
}

describe('mount(2) MS_REMOUNT|MS_BIND (do_reconfigure_mnt)', () => {
  it('sets the mount read-only and leaves its superblock read-write; a second call makes it read-write again', () => {
    const run = new Run();
    run.ok(newTmpfs('/mnt', []));
    remountOk(run, '/mnt', ['MS_BIND', 'MS_RDONLY']);
    expect(mnt(run, 5)?.flags.readonly).toBe(true);
    expect(sb(run, 5)?.sb_rdonly).toBe(false);
    remountOk(run, '/mnt', ['MS_BIND']);
    expect(mnt(run, 5)?.flags.readonly).toBe(false);
    run.sound();
  });
  it('makes the flags exactly the requested set: flags not asked for are cleared', () => {
    const run = new Run();
    run.ok(newTmpfs('/mnt', ['MS_NOSUID', 'MS_NOEXEC']));
    remountOk(run, '/mnt', ['MS_BIND', 'MS_NODEV']);
    expect(mnt(run, 5)?.flags).toMatchObject({ readonly: false, nosuid: false, nodev: true, noexec: false });
    run.sound();
  });
  it('keeps lock bits, MNT_LOCKED and the peer group; propagation flags in the call change nothing', () => {
    const run = new Run();
    run.ok({ type: 'mount', task: INIT, source: null, target: '/', fstype: null, flags: ['MS_SHARED', 'MS_REC'] });
    run.ok({ type: 'clone', task: INIT, flags: [] }); // task 2 keeps namespace 1 and the masters alive
    lockedInUserNs(run);
    expect(mnt(run, 9)).toMatchObject({ mnt_group_id: null, mnt_master: 5 }); // CL_SHARED_TO_SLAVE
    remountOk(run, '/mnt', ['MS_BIND', 'MS_RDONLY', 'MS_NOSUID', 'MS_NOEXEC', 'MS_SHARED']);
    expect(mnt(run, 9)).toMatchObject({
      flags: { readonly: true, nosuid: true, noexec: true, lockReadonly: true, lockNosuid: true, locked: true },
      mnt_group_id: null,
      mnt_master: 5,
    });
    run.sound();
  });
  it('works on a bind mount of a subdirectory (path_mounted compares with the mount\'s own root)', () => {
    const run = new Run();
    run.ok(bind('/tmp', '/mnt'));
    remountOk(run, '/mnt', ['MS_BIND', 'MS_RDONLY']);
    expect([mnt(run, 5)?.flags.readonly, mnt(run, 2)?.flags.readonly]).toEqual([true, false]);
    run.sound();
  });
});

describe('mount(2) MS_REMOUNT (do_remount)', () => {
  it('sets the mount and its superblock read-only, and a remount without MS_RDONLY makes both read-write', () => {
    const run = new Run();
    run.ok(newTmpfs('/mnt', []));
    remountOk(run, '/mnt', ['MS_RDONLY', 'MS_NOSUID']);
    expect(mnt(run, 5)?.flags).toMatchObject({ readonly: true, nosuid: true });
    expect(sb(run, 5)?.sb_rdonly).toBe(true);
    remountOk(run, '/mnt', ['MS_BIND']); // do_reconfigure_mnt: the mount only
    expect([mnt(run, 5)?.flags.readonly, sb(run, 5)?.sb_rdonly]).toEqual([false, true]);
    remountOk(run, '/mnt');
    expect([mnt(run, 5)?.flags.readonly, mnt(run, 5)?.flags.nosuid, sb(run, 5)?.sb_rdonly]).toEqual([false, false, false]);
    run.sound();
  });
  it('of a bind mount of a subdirectory reconfigures the whole superblock but only that mount\'s flags', () => {
    const run = new Run();
    run.ok(bind('/tmp', '/mnt'));
    remountOk(run, '/mnt', ['MS_RDONLY']);
    expect(sb(run, 2)?.sb_rdonly).toBe(true);
    expect([mnt(run, 5)?.flags.readonly, mnt(run, 2)?.flags.readonly]).toEqual([true, false]);
    run.sound();
  });
  it('in a user namespace works on a tmpfs its namespace made (the owner of sb->s_user_ns)', () => {
    const run = new Run();
    run.ok(dropCaps);
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
    run.ok(newTmpfs('/mnt', []));
    remountOk(run, '/mnt', ['MS_RDONLY']);
    expect(sb(run, 5)).toMatchObject({ s_user_ns: 2, sb_rdonly: true });
    run.sound();
  });
});

describe('mount(2) MS_REMOUNT errors, in the kernel\'s order', () => {
  it('of a directory that is not a mount root fails EINVAL at path_mounted', () => {
    const run = new Run();
    expect(remountFails(run, '/tmp', ['MS_BIND'], 'EINVAL')).toBe('do_reconfigure_mnt: !path_mounted');
    expect(remountFails(run, '/tmp', [], 'EINVAL')).toBe('do_remount: !path_mounted');
    run.sound();
  });
  it('of a mount of another namespace (via /proc/<pid>/root) fails EINVAL at check_mnt, before path_mounted', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] });
    expect(remountFails(run, '/proc/2/root/proc', ['MS_BIND'], 'EINVAL')).toBe('do_reconfigure_mnt: !check_mnt');
    expect(remountFails(run, '/proc/2/root/tmp', [], 'EINVAL')).toBe('do_remount: !check_mnt');
    run.sound();
  });
  it('of a lazily unmounted mount (via /proc/self/fd/N) or of /proc/self/ns/mnt fails EINVAL at check_mnt', () => {
    const run = new Run();
    run.ok(newTmpfs('/mnt', []));
    const fd = run.ok(open('/mnt', ['O_PATH']));
    run.ok({ type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] });
    expect(remountFails(run, `/proc/self/fd/${fd}`, ['MS_BIND'], 'EINVAL')).toBe('do_reconfigure_mnt: !check_mnt');
    expect(remountFails(run, '/proc/self/ns/mnt', [], 'EINVAL')).toBe('do_remount: !check_mnt');
    run.sound();
  });
  it('that would clear a flag locked by a user-namespace copy fails EPERM at can_change_locked_flags', () => {
    const run = lockedInUserNs();
    expect(remountFails(run, '/mnt', ['MS_BIND'], 'EPERM')).toBe('do_reconfigure_mnt: !can_change_locked_flags');
    expect(remountFails(run, '/mnt', ['MS_BIND', 'MS_RDONLY'], 'EPERM')).toMatch(/can_change_locked_flags/);
    expect(remountFails(run, '/mnt', ['MS_BIND', 'MS_NOSUID'], 'EPERM')).toMatch(/can_change_locked_flags/);
    expect(remountFails(run, '/mnt', [], 'EPERM')).toBe('do_remount: !can_change_locked_flags');
    run.sound();
  });
  it('that keeps the locked flags succeeds, and may add or drop unlocked ones', () => {
    const run = lockedInUserNs();
    remountOk(run, '/mnt', ['MS_BIND', 'MS_RDONLY', 'MS_NOSUID', 'MS_NODEV']);
    expect(mnt(run, 9)?.flags).toMatchObject({ readonly: true, nosuid: true, nodev: true, lockNodev: false });
    remountOk(run, '/mnt', ['MS_BIND', 'MS_RDONLY', 'MS_NOSUID']);
    expect(mnt(run, 9)?.flags.nodev).toBe(false);
    run.sound();
  });
  it('do_remount of a superblock a more privileged user namespace owns fails EPERM at ns_capable(sb->s_user_ns), after the lock test', () => {
    const run = lockedInUserNs();
    expect(remountFails(run, '/mnt', ['MS_RDONLY', 'MS_NOSUID'], 'EPERM')).toBe('do_remount: !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)');
    expect(sb(run, 5)?.sb_rdonly).toBe(true);
    run.sound();
  });
  it('of a directory inside a mount with locked flags fails EINVAL at path_mounted, before the lock test', () => {
    const run = new Run();
    run.ok(newTmpfs('/mnt', []));
    run.ok(mkdir('/mnt/d'));
    remountOk(run, '/mnt', ['MS_RDONLY', 'MS_NOSUID']);
    run.ok(dropCaps);
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
    expect(mnt(run, 9)?.flags.lockReadonly).toBe(true);
    expect(remountFails(run, '/mnt/d', ['MS_BIND'], 'EINVAL')).toBe('do_reconfigure_mnt: !path_mounted');
    expect(remountFails(run, '/mnt', ['MS_BIND'], 'EPERM')).toMatch(/can_change_locked_flags/);
    run.sound();
  });
});

describe('mount(2) MS_REMOUNT|MS_BIND seeded bug remount-clears-locked-flags (K11, CVE-2014-5206/5207)', () => {
  it('the correct model refuses to clear MNT_READONLY locked by the copy: EPERM', () => {
    const run = lockedInUserNs();
    remountFails(run, '/mnt', ['MS_BIND'], 'EPERM');
    expect(mnt(run, 9)?.flags.readonly).toBe(true);
  });
  it('the broken model clears it: the mount is read-write while MNT_LOCK_READONLY stays set', () => {
    const run = lockedInUserNs(new Run({ bug: 'remount-clears-locked-flags' }));
    remountOk(run, '/mnt', ['MS_BIND']);
    expect(mnt(run, 9)?.flags).toMatchObject({ readonly: false, nosuid: false, lockReadonly: true, lockNosuid: true });
  });
});

describe('sb_prepare_remount_readonly(): an unlinked inode still in use keeps the superblock writable', () => {
  const withDeadCwd = (): Run => {
    const run = new Run();
    run.ok(newTmpfs('/mnt', []));
    run.ok(mkdir('/mnt/d'));
    run.ok({ type: 'chdir', task: INIT, path: '/mnt/d' });
    run.ok({ type: 'rmdir', task: INIT, path: '/mnt/d' });
    return run;
  };

  it('fails EBUSY while the removed directory is a cwd, after the capability check', () => {
    const run = withDeadCwd();
    expect(remountFails(run, '/mnt', ['MS_RDONLY'], 'EBUSY')).toBe('sb_prepare_remount_readonly: s_remove_count');
  });

  it('is only a superblock matter: MS_REMOUNT|MS_BIND|MS_RDONLY succeeds, and so does the remount once the cwd moves', () => {
    const run = withDeadCwd();
    remountOk(run, '/mnt', ['MS_BIND', 'MS_RDONLY']);
    run.ok({ type: 'chdir', task: INIT, path: '/' });
    remountOk(run, '/mnt', ['MS_RDONLY']);
    expect(sb(run, 5)?.sb_rdonly).toBe(true);
  });

  it('does not apply to a remount that keeps the superblock read-write', () => {
    const run = withDeadCwd();
    remountOk(run, '/mnt', ['MS_NOSUID']);
  });
});
