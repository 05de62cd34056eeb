// exit(2) and reaping (kernel/exit.c do_exit: exit_files, exit_fs, exit_task_namespaces, then the
// unix garbage collector): everything the task held is released, with the full cascade, and
// nothing that someone else still holds.
import { describe, expect, it } from 'vitest';
import type { Event, TaskId } from '../index.js';
import { dentryId, fileId, filesStructId, fsStructId } from '../index.js';
import { INIT, Run, clone, fdOf, mnt, ns, open, sb, task } from '../test-helpers.js';

const CHILD = task(2);
const exit = (actor: TaskId): Event => ({ type: 'exit', task: actor });

describe('exit(2)', () => {
  it('of a child releases its fs_struct, fd table and namespace reference, and /proc/<pid> is gone', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    run.ok(clone());
    run.ok(open('/mnt', [], CHILD));
    expect(run.ok(exit(CHILD))).toBe(0);
    expect(run.state.tasks[CHILD]).toBeUndefined();
    expect(run.state.fsStructs[fsStructId(2)]).toBeUndefined();
    expect(run.state.filesStructs[filesStructId(2)]).toBeUndefined();
    expect(run.state.files[fileId(1)]?.f_count).toBe(1); // INIT's fd remains
    expect(run.state.files[fileId(2)]).toBeUndefined(); // the child's own file is gone
    expect(mnt(run, 2)?.mnt_count).toBe(4); // tree + INIT's root, cwd and file
    expect(ns(run, 1)?.count).toBe(1);
    expect(run.fails(open('/proc/2/ns/mnt'), 'ENOENT')).toMatch(/no such task/);
    run.sound();
  });
  it('of a task sharing its fs_struct and fd table only drops its use of them', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    run.ok(clone(['CLONE_FS', 'CLONE_FILES']));
    run.ok(exit(CHILD));
    expect(run.state.fsStructs[fsStructId(1)]?.users).toBe(1);
    expect(run.state.filesStructs[filesStructId(1)]).toMatchObject({ count: 1, fdt: { 3: 1 } });
    expect(run.state.files[fileId(1)]?.f_count).toBe(1);
    run.sound();
  });
  it('of the last task of a namespace tears it down, while a mount of it held by another task\'s fd survives detached', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWNS'])); // namespace 2: mounts 5-7
    run.ok({ type: 'mount', task: CHILD, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] }); // mount 8, sb 5
    expect(run.ok(open('/proc/2/root/mnt'))).toBe(3); // INIT reaches into namespace 2
    expect(run.state.files[fileId(1)]).toMatchObject({ f_path: { mnt: 8 } });
    run.ok(exit(CHILD));
    expect(ns(run, 2)).toBeUndefined();
    expect([mnt(run, 5), mnt(run, 6), mnt(run, 7)]).toEqual([undefined, undefined, undefined]);
    expect(mnt(run, 8)).toMatchObject({ mnt_ns: null, mnt_parent: null, mnt_count: 1 });
    expect(sb(run, 5)?.s_active).toBe(1);
    expect([sb(run, 2)?.s_active, sb(run, 3)?.s_active]).toEqual([1, 1]); // namespace 1's mounts remain
    run.sound();
    run.ok({ type: 'close', task: INIT, fd: fdOf(3) });
    expect([mnt(run, 8), sb(run, 5)]).toEqual([undefined, undefined]);
    run.sound();
  });
  it('leaves a namespace alive while an nsfs file refers to it, and the final close tears it down', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWNS']));
    run.ok(open('/proc/2/ns/mnt'));
    const dentry = ns(run, 2)?.stashed ?? dentryId(0);
    expect(run.state.dentries[dentry]).toMatchObject({ kind: 'nsfs', d_count: 1 });
    run.ok(exit(CHILD));
    expect(ns(run, 2)).toMatchObject({ count: 1, nr_mounts: 3, stashed: dentry });
    expect([mnt(run, 5)?.mnt_ns, mnt(run, 6)?.mnt_ns, mnt(run, 7)?.mnt_ns]).toEqual([2, 2, 2]);
    run.sound();
    run.ok({ type: 'close', task: INIT, fd: fdOf(3) });
    expect(ns(run, 2)).toBeUndefined();
    expect(run.state.dentries[dentry]).toBeUndefined();
    expect([mnt(run, 5), mnt(run, 6), mnt(run, 7)]).toEqual([undefined, undefined, undefined]);
    expect(mnt(run, 4)?.mnt_count).toBe(1); // the nsfs_mnt reference of the file is back
    run.sound();
  });
  it('of a task with a socket cycle in flight collects it (unix_gc after exit_files)', () => {
    const run = new Run();
    run.ok(clone());
    run.ok({ type: 'socketpair', task: CHILD }); // files 1 and 2 on fds 3 and 4
    run.ok(open('/mnt', [], CHILD)); // file 3
    run.ok({ type: 'sendmsg', task: CHILD, fd: fdOf(3), fds: [fdOf(4), fdOf(5)] }); // file 2 in its own queue
    run.ok(exit(CHILD));
    expect(run.state.files).toEqual({});
    expect(mnt(run, 2)?.mnt_count).toBe(3);
    run.sound();
  });
  it('of the last task releases everything but the kernel\'s internal nsfs mount', () => {
    const run = new Run();
    run.ok(open('/proc/1/ns/mnt'));
    run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] });
    run.ok(exit(INIT));
    expect(run.state.tasks).toEqual({});
    expect(run.state.mntNamespaces).toEqual({});
    expect(Object.keys(run.state.mounts)).toEqual(['4']);
    expect(Object.values(run.state.superBlocks).map((superBlock) => superBlock.s_type)).toEqual(['nsfs']);
    expect([run.state.files, run.state.fsStructs, run.state.filesStructs, run.state.mountpoints]).toEqual([{}, {}, {}, {}]);
    run.sound();
  });
  it('by a task that already exited fails ESRCH', () => {
    const run = new Run();
    run.ok(clone());
    run.ok(exit(CHILD));
    expect(run.fails(exit(CHILD), 'ESRCH')).toMatch(/find_task_by_vpid/);
    expect(run.fails({ type: 'open', task: CHILD, path: '/', flags: [] }, 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});
